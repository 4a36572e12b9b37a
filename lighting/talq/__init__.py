"""OnDijon as a central management software (CMS) that implements the TALQ 2.7.1 API.

Outdoor device networks (a vendor's gateway and its lamp controllers) connect to `/talq/`,
announce their services, declare their devices and send log reports; the reports become
telemetry readings of the lamps and cabinets they were matched to.
"""
