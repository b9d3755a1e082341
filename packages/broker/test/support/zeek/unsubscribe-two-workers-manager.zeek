##! Zeek's unsubscribe-two-workers test, manager.zeek.
@load ./unsubscribe-two-workers-common

global worker_subs_seen = 0;
global worker_common_seen = F;
global subscribe_done = F;
global nodes_up = 0;
global nodes_down = 0;

event Cluster::Backend::ZeroMQ::subscription(topic: string)
	{
	if ( ! starts_with(topic, "/test/worker") )
		return;

	print "B subscription", topic;

	if ( topic == "/test/worker-1" || topic == "/test/worker-2" )
		++worker_subs_seen;

	if ( topic == "/test/worker-common" )
		worker_common_seen = T;

	if ( ! subscribe_done && worker_common_seen && worker_subs_seen == 2 )
		{
		print "C subscribing to /test/manager-common";
		Cluster::subscribe("/test/manager-common");
		subscribe_done = T;
		}
	}

event Cluster::Backend::ZeroMQ::unsubscription(topic: string)
	{
	if ( ! starts_with(topic, "/test/worker") )
		return;

	print "D unsubscription", topic;

	if ( topic == "/test/worker-common" )
		{
		print "E unsubscribing from /test/manager-common";
		Cluster::unsubscribe("/test/manager-common");
		}
	}

event Cluster::node_up(name: string, id: string)
	{
	print "A node_up", name;
	++nodes_up;

	if ( nodes_up == 2 )
		Cluster::publish(Cluster::worker_topic, start_test);
	}

event Cluster::node_down(name: string, id: string)
	{
	print "Z node_down", name;
	++nodes_down;
	if ( nodes_down == 2 )
		terminate();
	}
