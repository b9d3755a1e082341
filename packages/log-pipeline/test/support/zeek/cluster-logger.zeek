##! A Zeek logger (the reference): binds its PULL socket at its $p and writes every stream it receives, as a
##! cluster LOGGER does (nodes/logger.zeek: local logging, hourly rotation); the test stops it with SIGTERM once
##! its files hold every record.

@load ./zmqc-cluster
