/* The baseline forwarder: plain libzmq zmq_proxy(XSUB, XPUB) with the broker's socket options (XPUB VERBOSER and
 * NODROP), bound on ephemeral 127.0.0.1 ports. Prints "<xpub endpoint> <xsub endpoint>" and forwards until killed.
 * Built by bench-forward.ts with the system compiler and Debian's libzmq3-dev.
 *   forwarder [io-threads]   the context's I/O threads (default 1, libzmq's); pass the broker's proxyIoThreads
 *                            (2, Zeek's default) to compare like with like: on 2 cores the count matters. */
#include <stdio.h>
#include <stdlib.h>
#include <zmq.h>

int main(int argc, char **argv) {
  void *ctx = zmq_ctx_new();
  int io_threads = argc > 1 ? atoi(argv[1]) : 1;
  if (io_threads < 1 || zmq_ctx_set(ctx, ZMQ_IO_THREADS, io_threads) != 0) {
    fprintf(stderr, "bad io thread count\n");
    return 1;
  }
  void *xpub = zmq_socket(ctx, ZMQ_XPUB);
  void *xsub = zmq_socket(ctx, ZMQ_XSUB);
  int one = 1;
  zmq_setsockopt(xpub, ZMQ_XPUB_VERBOSER, &one, sizeof one);
  zmq_setsockopt(xpub, ZMQ_XPUB_NODROP, &one, sizeof one);
  if (zmq_bind(xpub, "tcp://127.0.0.1:*") != 0 || zmq_bind(xsub, "tcp://127.0.0.1:*") != 0) {
    fprintf(stderr, "bind failed: %s\n", zmq_strerror(zmq_errno()));
    return 1;
  }
  char xpub_endpoint[256], xsub_endpoint[256];
  size_t size = sizeof xpub_endpoint;
  zmq_getsockopt(xpub, ZMQ_LAST_ENDPOINT, xpub_endpoint, &size);
  size = sizeof xsub_endpoint;
  zmq_getsockopt(xsub, ZMQ_LAST_ENDPOINT, xsub_endpoint, &size);
  printf("%s %s\n", xpub_endpoint, xsub_endpoint);
  fflush(stdout);
  zmq_proxy(xsub, xpub, NULL);
  return 0;
}
