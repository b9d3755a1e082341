##! Zeek → test, the manager (runs the proxy): once worker-1 is up, tell it to finish; terminate when it is
##! gone. Its cluster.log records ("node up: worker-1", "node down: worker-1") go to the test's PULL socket.

@load ./zmqc-log-cluster

module ZmqcLogTest;

export {
	global finish: event();
}

event Cluster::node_up(name: string, id: string)
	{
	if ( name == "worker-1" )
		Cluster::publish(Cluster::nodeid_topic(id), finish);
	}

event Cluster::node_down(name: string, id: string)
	{
	if ( name == "worker-1" )
		terminate();
	}
