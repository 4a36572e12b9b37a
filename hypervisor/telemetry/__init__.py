"""Telemetry ingestion: gateways post batches of readings (HTTP or MQTT), apps apply them."""
