"""RSMP 3.2 (Road Side Message Protocol): the supervisor traffic-light controllers connect to.

`protocol` frames and builds messages, `sxl` knows the traffic-light-controller signal
exchange list 1.2.1, `supervisor` is the asyncio TCP server, `emulator` the demo's sites.
"""
