"""A cluster node made of pyzmq sockets, the way Zeek connects one to the broker, driven over stdin/stdout.

    /usr/bin/python3 pyzmq_peer.py <broker xsub endpoint> <broker xpub endpoint>

Its XPUB (XPUB_VERBOSE, as Zeek sets it) connects to the broker's XSUB, its XSUB to the broker's XPUB.
Commands, one JSON object per stdin line:
    {"op": "subscribe", "prefix": HEX}     sends 0x01 + prefix on the XSUB
    {"op": "unsubscribe", "prefix": HEX}   sends 0x00 + prefix on the XSUB
    {"op": "publish", "frames": [HEX, ...]}  sends a multipart message on the XPUB
Reports, one JSON object per stdout line:
    {"event": "ready", "pyzmq": ..., "libzmq": ...}  once both sockets are connecting
    {"event": "notification", "frame": HEX}          a frame the XPUB received (0x01/0x00 + prefix)
    {"event": "message", "frames": [HEX, ...]}       a message the XSUB received
    {"event": "published"}                           after each publish
It exits when stdin ends.
"""

import json
import os
import sys

import zmq


def emit(report):
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()


def main():
    broker_xsub, broker_xpub = sys.argv[1], sys.argv[2]
    context = zmq.Context()
    xpub = context.socket(zmq.XPUB)
    xpub.setsockopt(zmq.LINGER, 0)
    xpub.setsockopt(zmq.XPUB_VERBOSE, 1)
    xpub.connect(broker_xsub)
    xsub = context.socket(zmq.XSUB)
    xsub.setsockopt(zmq.LINGER, 0)
    xsub.connect(broker_xpub)

    stdin = sys.stdin.fileno()
    poller = zmq.Poller()
    poller.register(xpub, zmq.POLLIN)
    poller.register(xsub, zmq.POLLIN)
    poller.register(stdin, zmq.POLLIN)
    emit({"event": "ready", "pyzmq": zmq.pyzmq_version(), "libzmq": zmq.zmq_version()})

    pending = b""
    while True:
        for socket, _ in poller.poll():
            if socket is xpub:
                emit({"event": "notification", "frame": xpub.recv().hex()})
            elif socket is xsub:
                emit({"event": "message", "frames": [f.hex() for f in xsub.recv_multipart()]})
            else:
                # os.read, not sys.stdin.readline: a buffered reader would hide lines from the poller.
                chunk = os.read(stdin, 65536)
                if not chunk:
                    xpub.close()
                    xsub.close()
                    context.term()
                    return
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    if line.strip():
                        run(json.loads(line), xpub, xsub)


def run(command, xpub, xsub):
    op = command["op"]
    if op == "subscribe":
        xsub.send(b"\x01" + bytes.fromhex(command["prefix"]))
    elif op == "unsubscribe":
        xsub.send(b"\x00" + bytes.fromhex(command["prefix"]))
    elif op == "publish":
        xpub.send_multipart([bytes.fromhex(f) for f in command["frames"]])
        emit({"event": "published"})
    else:
        raise ValueError("unknown op " + op)


if __name__ == "__main__":
    main()
