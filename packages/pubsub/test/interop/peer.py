"""A pyzmq cluster peer for interop-python.test.ts: connects an XPUB to the broker's XSUB and an XSUB to the
broker's XPUB (as a Zeek node does), and takes commands, one per stdin line, answering on stdout, one line each:

  ready                       (printed at start, once both sockets are connecting)
  publish-node-status TOPIC PREFIX
      waits (bounded) for 0x01||PREFIX on its XPUB, then publishes the upstream Supervisor::node_status("TEST", 42)
      broker-bin-v1 bytes (zeek-zeromq-notes §6.1) on TOPIC as [TOPIC, NODE_ID, "broker-bin-v1", payload];
      answers "published"
  subscribe PREFIX            sends 0x01||PREFIX on its XSUB; answers "subscribed"
  expect SENDER_ID            receives one message (bounded) and checks it frame by frame; answers
                              "frames N", "frame1 ok|bad", "frame2 ok|bad", "payload <hex>", "payload ok|bad"
  quit
Every wait is bounded (5 s); on a timeout it answers "timeout <what>" and exits 2.
"""

import sys

import zmq

NODE_ID = b"python-peer"
FORMAT = b"broker-bin-v1"
# Verbatim from zeek/zeek src/cluster/serializer/broker/Serializer.cc (doctest "roundtrip", SUBCASE "binary").
NODE_STATUS = bytes(
    [
        0x0E, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0E, 0x03, 0x05, 0x17, 0x53, 0x75,
        0x70, 0x65, 0x72, 0x76, 0x69, 0x73, 0x6F, 0x72, 0x3A, 0x3A, 0x6E, 0x6F, 0x64,
        0x65, 0x5F, 0x73, 0x74, 0x61, 0x74, 0x75, 0x73, 0x0E, 0x02, 0x05, 0x04, 0x54,
        0x45, 0x53, 0x54, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A, 0x0E,
        0x01, 0x0E, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x09,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ]
)
TIMEOUT_MS = 5000


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def recv_within(sock, what):
    if sock.poll(TIMEOUT_MS, zmq.POLLIN) == 0:
        say("timeout " + what)
        sys.exit(2)
    return sock.recv_multipart()


def main():
    broker_xsub, broker_xpub = sys.argv[1], sys.argv[2]
    ctx = zmq.Context()
    xpub = ctx.socket(zmq.XPUB)
    xpub.setsockopt(zmq.LINGER, 0)
    xpub.setsockopt(zmq.XPUB_VERBOSE, 1)
    xpub.setsockopt(zmq.XPUB_NODROP, 1)
    xsub = ctx.socket(zmq.XSUB)
    xsub.setsockopt(zmq.LINGER, 0)
    xpub.connect(broker_xsub)
    xsub.connect(broker_xpub)
    say("ready")
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "publish-node-status":
            topic, prefix = words[1].encode(), words[2].encode()
            while True:
                [frame] = recv_within(xpub, "subscription " + words[2])
                if frame == b"\x01" + prefix:
                    break
            xpub.send_multipart([topic, NODE_ID, FORMAT, NODE_STATUS])
            say("published")
        elif words[0] == "subscribe":
            xsub.send(b"\x01" + words[1].encode())
            say("subscribed")
        elif words[0] == "expect":
            sender = words[1].encode()
            frames = recv_within(xsub, "an event")
            say("frames %d" % len(frames))
            if len(frames) != 4:
                continue
            say("frame1 " + ("ok" if frames[1] == sender else "bad " + frames[1].hex()))
            say("frame2 " + ("ok" if frames[2] == FORMAT else "bad " + frames[2].hex()))
            say("payload " + frames[3].hex())
            say("payload " + ("ok" if frames[3] == NODE_STATUS else "bad"))
        elif words[0] == "quit":
            break
    xpub.close()
    xsub.close()
    ctx.term()


if __name__ == "__main__":
    main()
