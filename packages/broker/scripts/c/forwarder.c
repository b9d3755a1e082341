/* The baseline forwarder: plain libzmq zmq_proxy(XSUB, XPUB) with the broker's socket options (XPUB VERBOSER and
 * NODROP), bound on ephemeral 127.0.0.1 ports. Prints "<xpub endpoint> <xsub endpoint>" and forwards until killed.
 * Built by bench-forward.ts with the system compiler and Debian's libzmq3-dev. */
#include <stdio.h>
#include <zmq.h>

int main(void) {
  void *ctx = zmq_ctx_new();
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
