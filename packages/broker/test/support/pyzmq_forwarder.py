"""A third-party forwarder: pyzmq's zmq.proxy(xsub, xpub), as Zeek's proxy thread sets it up.

    /usr/bin/python3 pyzmq_forwarder.py

Binds its XPUB (XPUB_VERBOSER, so every subscribe and unsubscribe of every subscriber goes upstream), then its
XSUB, both on tcp://127.0.0.1 ports the OS picks, prints one JSON line {"xpub": ..., "xsub": ..., "pyzmq": ...,
"libzmq": ...} and forwards until stdin ends (or a signal ends it).
"""

import json
import os
import sys
import threading

import zmq


def exit_when_stdin_ends():
    while os.read(sys.stdin.fileno(), 65536):
        pass
    # zmq.proxy blocks in C without a way out; the process is all this forwarder is.
    os._exit(0)


def main():
    context = zmq.Context()
    xpub = context.socket(zmq.XPUB)
    xpub.setsockopt(zmq.LINGER, 0)
    xpub.setsockopt(zmq.XPUB_VERBOSER, 1)
    xsub = context.socket(zmq.XSUB)
    xsub.setsockopt(zmq.LINGER, 0)
    xpub.bind("tcp://127.0.0.1:*")
    xsub.bind("tcp://127.0.0.1:*")
    threading.Thread(target=exit_when_stdin_ends, daemon=True).start()
    sys.stdout.write(
        json.dumps(
            {
                "xpub": xpub.getsockopt_string(zmq.LAST_ENDPOINT),
                "xsub": xsub.getsockopt_string(zmq.LAST_ENDPOINT),
                "pyzmq": zmq.pyzmq_version(),
                "libzmq": zmq.zmq_version(),
            }
        )
        + "\n"
    )
    sys.stdout.flush()
    zmq.proxy(xsub, xpub)


if __name__ == "__main__":
    main()
