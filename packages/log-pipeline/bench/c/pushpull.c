/* The C ceiling for the log path: a PUSH that sends pre-encoded log messages (the same zeek-bin-serializer batches
 * the raw zeromq.js source sends, written to a file by log-path.ts) and a PULL that appends each message's payload
 * (frame 3) to a file with one write(2) per batch, as the raw zeromq.js sink does. Built with the system compiler
 * and Debian's libzmq3-dev (cc -O2 -o pushpull pushpull.c -lzmq):
 *   pushpull pull <messages> <file>     -> binds, prints "<endpoint>", receives <messages> messages appending their
 *                                          payloads to <file>, prints "<end ns> <cpu µs> <bytes>"
 *   pushpull push <endpoint> <frames>   -> connects, settles 100 ms, sends every message of <frames>, prints
 *                                          "<start ns> <sent ns> <cpu µs> <messages>"
 * Times are CLOCK_MONOTONIC (Node's process.hrtime); CPU is the whole process's (its ZeroMQ I/O thread too), the
 * sink's from ready to the last payload written, the source's from start to the last message handed to ZeroMQ.
 * <frames> holds messages one after another: a u32 frame count, then per frame a u32 length and its bytes
 * (little-endian).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define HWM 1000
#define LINGER_MS 10000
#define SETTLE_MS 100
#define RECEIVE_TIMEOUT_MS 60000

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long cpu_us(void) {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return (long long)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000LL + usage.ru_utime.tv_usec +
         usage.ru_stime.tv_usec;
}

static uint32_t u32(const unsigned char *at) {
  return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
}

static int pull(void *ctx, long messages, const char *path) {
  void *socket = zmq_socket(ctx, ZMQ_PULL);
  int hwm = HWM, timeout = RECEIVE_TIMEOUT_MS;
  zmq_setsockopt(socket, ZMQ_RCVHWM, &hwm, sizeof hwm);
  zmq_setsockopt(socket, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
  if (zmq_bind(socket, "tcp://127.0.0.1:*") != 0) {
    fprintf(stderr, "pushpull pull: bind: %s\n", zmq_strerror(zmq_errno()));
    return 1;
  }
  int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) {
    perror("pushpull pull: open");
    return 1;
  }
  char endpoint[256];
  size_t size = sizeof endpoint;
  zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, endpoint, &size);
  printf("%s\n", endpoint);
  fflush(stdout);
  long long cpu0 = cpu_us();
  long long bytes = 0;
  zmq_msg_t frame;
  zmq_msg_init(&frame);
  for (long got = 0; got < messages; got++) {
    int more = 1;
    for (int index = 0; more; index++) {
      if (zmq_msg_recv(&frame, socket, 0) < 0) {
        fprintf(stderr, "pushpull pull: %ld of %ld messages: %s\n", got, messages, zmq_strerror(zmq_errno()));
        return 1;
      }
      more = zmq_msg_more(&frame);
      if (index != 3) continue;
      const char *data = zmq_msg_data(&frame);
      size_t left = zmq_msg_size(&frame);
      while (left > 0) {
        ssize_t written = write(fd, data, left);
        if (written < 0) {
          perror("pushpull pull: write");
          return 1;
        }
        data += written;
        left -= (size_t)written;
        bytes += written;
      }
    }
  }
  long long end = now_ns();
  long long cpu = cpu_us() - cpu0;
  zmq_msg_close(&frame);
  close(fd);
  zmq_close(socket);
  zmq_ctx_term(ctx);
  printf("%lld %lld %lld\n", end, cpu, bytes);
  return 0;
}

static int push(void *ctx, const char *endpoint, const char *path) {
  FILE *file = fopen(path, "rb");
  if (!file) {
    perror("pushpull push: open");
    return 1;
  }
  fseek(file, 0, SEEK_END);
  long length = ftell(file);
  fseek(file, 0, SEEK_SET);
  unsigned char *data = malloc(length > 0 ? (size_t)length : 1);
  if (!data || fread(data, 1, (size_t)length, file) != (size_t)length) {
    fprintf(stderr, "pushpull push: cannot read %s\n", path);
    return 1;
  }
  fclose(file);
  void *socket = zmq_socket(ctx, ZMQ_PUSH);
  int hwm = HWM, linger = LINGER_MS;
  zmq_setsockopt(socket, ZMQ_SNDHWM, &hwm, sizeof hwm);
  zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
  if (zmq_connect(socket, endpoint) != 0) {
    fprintf(stderr, "pushpull push: connect %s: %s\n", endpoint, zmq_strerror(zmq_errno()));
    return 1;
  }
  usleep(SETTLE_MS * 1000);
  long long cpu0 = cpu_us();
  long long start = now_ns();
  long messages = 0;
  for (const unsigned char *at = data, *stop = data + length; at < stop; messages++) {
    uint32_t frames = u32(at);
    at += 4;
    for (uint32_t i = 0; i < frames; i++) {
      uint32_t size = u32(at);
      at += 4;
      /* The bytes stay put until exit: no copy, as zeromq.js sends a Buffer. */
      if (zmq_send_const(socket, at, size, i + 1 < frames ? ZMQ_SNDMORE : 0) != (int)size) {
        fprintf(stderr, "pushpull push: send: %s\n", zmq_strerror(zmq_errno()));
        return 1;
      }
      at += size;
    }
  }
  long long sent = now_ns();
  long long cpu = cpu_us() - cpu0;
  zmq_close(socket);
  zmq_ctx_term(ctx); /* waits (up to the linger) until every message is out */
  free(data);
  printf("%lld %lld %lld %ld\n", start, sent, cpu, messages);
  return 0;
}

int main(int argc, char **argv) {
  void *ctx = zmq_ctx_new();
  if (argc == 4 && strcmp(argv[1], "pull") == 0) return pull(ctx, atol(argv[2]), argv[3]);
  if (argc == 4 && strcmp(argv[1], "push") == 0) return push(ctx, argv[2], argv[3]);
  fprintf(stderr, "usage: pushpull pull <messages> <file> | push <endpoint> <frames file>\n");
  return 2;
}
