##! Zeek's unsubscribe-two-workers test, worker.zeek.
@load ./unsubscribe-two-workers-common

event start_test()
	{
	print "A start_test";
	Cluster::subscribe("/test/worker-common");
	Cluster::subscribe("/test/" + Cluster::node);
	}

event Cluster::Backend::ZeroMQ::subscription(topic: string)
	{
	if ( ! starts_with(topic, "/test/manager") )
		return;

	print "B subscription", topic;

	if ( topic == "/test/manager-common" )
		{
		print "C unsubscribe from /test/worker-common";
		Cluster::unsubscribe("/test/worker-common");
		}
	}

event Cluster::Backend::ZeroMQ::unsubscription(topic: string)
	{
	if ( ! starts_with(topic, "/test/manager") )
		return;

	print "C unsubscription", topic;

	if ( topic == "/test/manager-common" )
		{
		print "D /test/manager-common unsubscribed, terminate()";
		terminate();
		}
	}
