##! Test → Zeek, a logger: its PULL socket (listen_log_endpoint, from its $p in cluster-layout.zeek) takes the
##! test's batches and writes ZmqcLogTest::LOG as JSON lines to zmqc_log_test.log in its working directory.
##! Remote writes run no script hooks, so the test ends with a batch for ZmqcLogTest::END_LOG, a stream that
##! exists in Log::ID but was never created: the logger terminates on the error that batch causes. A PUSH
##! socket delivers in order, and the logger handles batches in order, so every batch before it has been
##! handed to the log writer by then; termination flushes the writer.

@load ./zmqc-log-cluster

# A logger of its own cluster: it binds the proxy ports the test reserved, so no other test's Zeek can take them.
redef Cluster::Backend::ZeroMQ::run_proxy_thread = T;
redef LogAscii::use_json = T;
# One file, zmqc_log_test.log, never rotated (not even at shutdown).
redef Log::default_rotation_interval = 0secs;

event reporter_error(t: time, msg: string, location: string)
	{
	if ( msg == "Failed to find stream ZmqcLogTest::END_LOG for remote write" )
		terminate();
	}
