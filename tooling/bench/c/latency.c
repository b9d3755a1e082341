/* The C ends of the latency case: a ping-pong of 4-frame events [topic, sender, format, payload] through a
 * forwarder, as a Zeek node sends them. Built by the benchmark harness with the system compiler and libzmq3-dev:
 *   latency echo <xsub endpoint> <xpub endpoint>
 *       subscribes to bench.ping, answers every ping with the same payload on bench.pong, until killed
 *   latency ping <xsub endpoint> <xpub endpoint> <count> <warmup> <hex payload>
 *       waits for the echo's subscription, shakes hands (a marked ping, re-sent every 100 ms until its own pong
 *       comes back: the pong subscription may reach the echo later than the ping subscription reaches us), then
 *       <warmup> unmeasured and <count> measured round trips, one at a time; prints "rtt-us <v>,<v>,..."
 * The xsub endpoint is the forwarder's XSUB (publishers connect there), the xpub endpoint its XPUB. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
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

static void send_event(void *xpub, const char *topic, const void *payload, size_t size) {
  zmq_send(xpub, topic, strlen(topic), ZMQ_SNDMORE);
  zmq_send(xpub, "node-c", 6, ZMQ_SNDMORE);
  zmq_send(xpub, "broker-bin-v1", 13, ZMQ_SNDMORE);
  zmq_send(xpub, payload, size, 0);
}

/* Receives one multipart message; returns its last frame's size (copied into buf), or -1 on timeout. */
static int receive_event(void *xsub, unsigned char *buf, size_t max) {
  int more = 1, last = -1;
  size_t more_size = sizeof more;
  while (more) {
    last = zmq_recv(xsub, buf, max, 0);
    if (last < 0) return -1;
    zmq_getsockopt(xsub, ZMQ_RCVMORE, &more, &more_size);
  }
  return last;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: latency echo <xsub> <xpub> | ping <xsub> <xpub> <count> <warmup> <hex>\n");
    return 2;
  }
  void *ctx = zmq_ctx_new();
  void *xpub = zmq_socket(ctx, ZMQ_XPUB), *xsub = zmq_socket(ctx, ZMQ_XSUB);
  int on = 1, zero = 0;
  zmq_setsockopt(xpub, ZMQ_XPUB_NODROP, &on, sizeof on);
  zmq_setsockopt(xpub, ZMQ_LINGER, &zero, sizeof zero);
  zmq_setsockopt(xsub, ZMQ_LINGER, &zero, sizeof zero);
  zmq_connect(xpub, argv[2]);
  zmq_connect(xsub, argv[3]);
  unsigned char buf[4096];
  if (strcmp(argv[1], "echo") == 0) {
    zmq_send(xsub, "\x01" "bench.ping", 11, 0);
    for (;;) {
      int size = receive_event(xsub, buf, sizeof buf);
      if (size < 0) return 1;
      send_event(xpub, "bench.pong", buf, (size_t)size);
    }
  }
  if (argc < 7 || strcmp(argv[1], "ping") != 0) return 2;
  long count = atol(argv[4]), warmup = atol(argv[5]);
  unsigned char payload[4096];
  size_t size = from_hex(argv[6], payload, sizeof payload);
  zmq_send(xsub, "\x01" "bench.pong", 11, 0);
  /* The echo's subscription, through the forwarder: from now on no ping is filtered away. */
  for (;;) {
    int n = zmq_recv(xpub, buf, sizeof buf, 0);
    if (n == 11 && memcmp(buf, "\x01" "bench.ping", 11) == 0) break;
  }
  int timeout = 100;
  zmq_setsockopt(xsub, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
  for (int attempt = 0;; attempt++) {
    char mark[32];
    int length = snprintf(mark, sizeof mark, "handshake-%d", attempt);
    send_event(xpub, "bench.ping", mark, (size_t)length);
    int got, matched = 0;
    while ((got = receive_event(xsub, buf, sizeof buf)) >= 0)
      if (got == length && memcmp(buf, mark, (size_t)length) == 0) {
        matched = 1;
        break;
      }
    if (matched) break;
    if (attempt > 300) return 1; /* 30 s without an answer */
  }
  timeout = 30000;
  zmq_setsockopt(xsub, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
  double *rtts = malloc(sizeof(double) * (size_t)(count > 0 ? count : 1));
  for (long i = 0; i < warmup + count; i++) {
    double start = now_us();
    send_event(xpub, "bench.ping", payload, size);
    if (receive_event(xsub, buf, sizeof buf) < 0) return 1;
    if (i >= warmup) rtts[i - warmup] = now_us() - start;
  }
  printf("rtt-us ");
  for (long i = 0; i < count; i++) printf(i == 0 ? "%.1f" : ",%.1f", rtts[i]);
  printf("\n");
  fflush(stdout);
  return 0;
}
