/* The C ceiling for the event path: a plain zmq_proxy forwarder, and publisher and subscriber peers sending
 * 4-frame events [topic, sender, format, payload] as a Zeek node does. Built by the benchmark harness with the
 * system compiler and Debian's libzmq3-dev:
 *   pubsub fwd                                  -> prints "<xpub endpoint> <xsub endpoint>", forwards until killed
 *   pubsub pub <xsub endpoint> <count> <hex>    -> waits for a subscription, sends <count> events (lossless, NODROP)
 *   pubsub sub <xpub endpoint> <count> <topic>  -> subscribes, receives <count> events, prints "<received> <ms>"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static size_t from_hex(const char *hex, unsigned char *out, size_t max) {
  size_t n = 0;
  for (; hex[0] && hex[1] && n < max; hex += 2) {
    unsigned int byte;
    sscanf(hex, "%2x", &byte);
    out[n++] = (unsigned char)byte;
  }
  return n;
}

int main(int argc, char **argv) {
  void *ctx = zmq_ctx_new();
  if (argc >= 2 && strcmp(argv[1], "fwd") == 0) {
    void *xpub = zmq_socket(ctx, ZMQ_XPUB), *xsub = zmq_socket(ctx, ZMQ_XSUB);
    int on = 1;
    zmq_setsockopt(xpub, ZMQ_XPUB_NODROP, &on, sizeof on);
    zmq_bind(xpub, "tcp://127.0.0.1:*");
    zmq_bind(xsub, "tcp://127.0.0.1:*");
    char a[256], b[256];
    size_t la = sizeof a, lb = sizeof b;
    zmq_getsockopt(xpub, ZMQ_LAST_ENDPOINT, a, &la);
    zmq_getsockopt(xsub, ZMQ_LAST_ENDPOINT, b, &lb);
    printf("%s %s\n", a, b);
    fflush(stdout);
    zmq_proxy(xsub, xpub, NULL);
    return 0;
  }
  if (argc >= 6 && strcmp(argv[1], "pub") == 0) {
    void *xpub = zmq_socket(ctx, ZMQ_XPUB);
    int on = 1;
    zmq_setsockopt(xpub, ZMQ_XPUB_NODROP, &on, sizeof on);
    zmq_connect(xpub, argv[2]);
    long count = atol(argv[3]);
    unsigned char payload[4096];
    size_t size = from_hex(argv[4], payload, sizeof payload);
    const char *topic = argv[5];
    char sub[512];
    zmq_recv(xpub, sub, sizeof sub, 0); /* the subscription came through the forwarder */
    for (long sent = 0; sent < count;) {
      zmq_send(xpub, topic, strlen(topic), ZMQ_SNDMORE);
      zmq_send(xpub, "node-c", 6, ZMQ_SNDMORE);
      zmq_send(xpub, "broker-bin-v1", 13, ZMQ_SNDMORE);
      if (zmq_send(xpub, payload, size, 0) == (int)size) sent++;
    }
    int linger = 10000;
    zmq_setsockopt(xpub, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close(xpub);
    zmq_ctx_term(ctx);
    return 0;
  }
  if (argc >= 5 && strcmp(argv[1], "sub") == 0) {
    void *xsub = zmq_socket(ctx, ZMQ_XSUB);
    zmq_connect(xsub, argv[2]);
    long count = atol(argv[3]);
    char subscription[512];
    subscription[0] = 1;
    strncpy(subscription + 1, argv[4], sizeof subscription - 2);
    zmq_send(xsub, subscription, 1 + strlen(argv[4]), 0);
    int timeout = 10000;
    zmq_setsockopt(xsub, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    char buf[4096];
    long received = 0;
    double first = 0;
    while (received < count) {
      int more = 1;
      size_t more_size = sizeof more;
      int ok = 1;
      while (more) {
        if (zmq_recv(xsub, buf, sizeof buf, 0) < 0) { ok = 0; break; }
        zmq_getsockopt(xsub, ZMQ_RCVMORE, &more, &more_size);
      }
      if (!ok) break;
      if (received++ == 0) first = now_ms();
    }
    printf("%ld %.3f\n", received, now_ms() - first);
    return 0;
  }
  fprintf(stderr, "usage: pubsub fwd | pub <endpoint> <count> <hex> <topic> | sub <endpoint> <count> <topic>\n");
  return 2;
}
