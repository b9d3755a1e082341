/* A native publisher or subscriber for the forwarding benchmark, so the forwarder itself is what limits (Node
 * endpoints saturate at a few hundred thousand messages/s, below what a libzmq forwarder carries):
 *   peer pub <broker xsub endpoint> <count> <frames> <bytes>   XPUB with NODROP: waits for the subscription, then
 *                                                              sends <count> messages (blocking), then lingers
 *   peer sub <broker xpub endpoint> <count> <frames> <bytes>   XSUB: subscribes, receives <count> messages, prints
 *                                                              {"received": n, "ms": first-to-last}
 * A message is <frames> frames: the topic first; with 1 frame, the topic padded to <bytes>; with more, the topic,
 * "node-1", "broker-bin-v1" (as many as fit) and a payload of <bytes>. Built by bench-forward.ts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define TOPIC "zeek.cluster.bench"

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000.0 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: peer pub|sub endpoint count frames bytes\n");
    return 2;
  }
  const char *role = argv[1], *endpoint = argv[2];
  long count = atol(argv[3]);
  int frames = atoi(argv[4]);
  size_t bytes = (size_t) atol(argv[5]);
  void *ctx = zmq_ctx_new();
  int one = 1;
  if (strcmp(role, "pub") == 0) {
    void *xpub = zmq_socket(ctx, ZMQ_XPUB);
    zmq_setsockopt(xpub, ZMQ_XPUB_NODROP, &one, sizeof one);
    zmq_connect(xpub, endpoint);
    char subscription[256];
    zmq_recv(xpub, subscription, sizeof subscription, 0); /* the subscriber's, through the broker */
    char *payload = calloc(bytes > sizeof TOPIC ? bytes : sizeof TOPIC, 1);
    memset(payload, 1, bytes);
    if (frames == 1) memcpy(payload, TOPIC, strlen(TOPIC));
    const char *heads[] = {TOPIC, "node-1", "broker-bin-v1"};
    for (long sent = 0; sent < count;) {
      int ok = 1;
      for (int f = 0; f < frames - 1 && ok; f++) {
        const char *head = heads[f < 3 ? f : 2];
        ok = zmq_send(xpub, head, strlen(head), ZMQ_SNDMORE) >= 0;
      }
      if (ok && zmq_send(xpub, payload, bytes, 0) >= 0) sent++;
    }
    zmq_close(xpub); /* linger -1: everything leaves before zmq_ctx_term returns */
  } else {
    void *xsub = zmq_socket(ctx, ZMQ_XSUB);
    int timeout = 60000;
    zmq_setsockopt(xsub, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_connect(xsub, endpoint);
    char subscribe[] = "\x01" TOPIC;
    zmq_send(xsub, subscribe, strlen(subscribe), 0);
    char *buffer = malloc(bytes + 256);
    long received = 0;
    double first = 0, last = 0;
    while (received < count) {
      int more = 1, got = 0;
      while (more) {
        if (zmq_recv(xsub, buffer, bytes + 256, 0) < 0) break;
        got = 1;
        size_t size = sizeof more;
        zmq_getsockopt(xsub, ZMQ_RCVMORE, &more, &size);
      }
      if (!got) break; /* timed out: report what came */
      last = now_ms();
      if (received++ == 0) first = last;
    }
    printf("{\"received\": %ld, \"ms\": %f}\n", received, last - first);
    fflush(stdout);
    int zero = 0;
    zmq_setsockopt(xsub, ZMQ_LINGER, &zero, sizeof zero);
    zmq_close(xsub);
  }
  zmq_ctx_term(ctx);
  return 0;
}
