##! The manager (runs the proxy thread): once every node in ZMQC_WAIT_FOR (a comma-separated list: the workers,
##! and the logger when it is a Zeek) is up, it tells the workers to finish; it terminates when every worker is
##! gone. Its own logs (cluster.log) go to the logger, as a manager's do when it is not the logger.

@load ./zmqc-cluster

module ZmqcCluster;

export {
	global finish: event();
}

global waiting: set[string];
global workers_left = 0;
global told = F;

event zeek_init()
	{
	for ( _, name in split_string(getenv("ZMQC_WAIT_FOR"), /,/) )
		{
		add waiting[name];
		if ( Cluster::nodes[name]$node_type == Cluster::WORKER )
			++workers_left;
		}
	}

event Cluster::node_up(name: string, id: string)
	{
	delete waiting[name];
	if ( |waiting| == 0 && ! told )
		{
		told = T;
		Cluster::publish(Cluster::worker_topic, finish);
		}
	}

event Cluster::node_down(name: string, id: string)
	{
	if ( Cluster::nodes[name]$node_type == Cluster::WORKER && --workers_left == 0 )
		terminate();
	}
