"""pyzmq peers for the event path (Debian's python3-zmq): what a Python user writes.
   pubsub.py pub <xsub endpoint> <count> <hex payload> <topic>
   pubsub.py sub <xpub endpoint> <count> <topic>   -> prints "<received> <ms>"
"""
import sys
import time

import zmq

ctx = zmq.Context()
role = sys.argv[1]
if role == "pub":
    endpoint, count, payload, topic = sys.argv[2], int(sys.argv[3]), bytes.fromhex(sys.argv[4]), sys.argv[5].encode()
    s = ctx.socket(zmq.XPUB)
    s.setsockopt(zmq.XPUB_NODROP, 1)
    s.connect(endpoint)
    s.recv()  # the subscription came through the forwarder
    frames = [topic, b"node-py", b"broker-bin-v1", payload]
    for _ in range(count):
        s.send_multipart(frames)
    s.close(linger=10000)
elif role == "sub":
    endpoint, count, topic = sys.argv[2], int(sys.argv[3]), sys.argv[4].encode()
    s = ctx.socket(zmq.XSUB)
    s.connect(endpoint)
    s.send(b"\x01" + topic)
    s.rcvtimeo = 10000
    received, first = 0, 0.0
    try:
        while received < count:
            s.recv_multipart()
            if received == 0:
                first = time.monotonic()
            received += 1
    except zmq.Again:
        pass
    print(received, (time.monotonic() - first) * 1000)
