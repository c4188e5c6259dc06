/* SPDX-License-Identifier: BSD-3-Clause
 * net_vnetx vdev driver: probe, remove, registration and log types.
 */
#include <errno.h>
#include <string.h>

#include <bus_vdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_malloc.h>

#include "vnetx_barrier.h"
#include "vnetx_devargs.h"
#include "vnetx_ethdev.h"
#include "vnetx_log.h"
#include "vnetx_priv.h"

RTE_LOG_REGISTER_SUFFIX(vnetx_logtype_driver, driver, NOTICE);
RTE_LOG_REGISTER_SUFFIX(vnetx_logtype_init, init, NOTICE);
RTE_LOG_REGISTER_SUFFIX(vnetx_logtype_backend, backend, NOTICE);
RTE_LOG_REGISTER_SUFFIX(vnetx_logtype_datapath, datapath, NOTICE);

static int
vnetx_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const struct vnetx_backend_ops *ops;
	enum vnetx_backend_type type;
	struct vnetx_devargs args;
	struct rte_eth_dev *dev;
	struct vnetx_port *port;
	char err[512];
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		VNETX_INIT_LOG(ERR, "%s: secondary processes are not supported yet", name);
		return -ENOTSUP;
	}
	ret = vnetx_sync_lcores_init();
	if (ret < 0) {
		VNETX_INIT_LOG(ERR, "%s: the kernel offers no membarrier(2) (%s): vnetx needs it to stop queues safely",
			       name, strerror(-ret));
		return ret;
	}
	if (vnetx_devargs_parse(rte_vdev_device_args(vdev), &args, err, sizeof(err)) < 0) {
		VNETX_INIT_LOG(ERR, "%s: %s", name, err);
		return -EINVAL;
	}
	if (args.queues > 1 && !args.cq) {
		/* VIRTIO_NET_F_MQ needs the control queue (virtio 1.2, 5.1.3.1). */
		VNETX_INIT_LOG(NOTICE, "%s: queues=%u needs the control queue: cq turned on", name, args.queues);
		args.cq = 1;
	}
	ret = vnetx_backend_detect(args.path, &type, err, sizeof(err));
	if (ret < 0) {
		VNETX_INIT_LOG(ERR, "%s: %s", name, err);
		return ret;
	}
	ops = vnetx_backend_ops_get(type, err, sizeof(err));
	if (ops == NULL) {
		VNETX_INIT_LOG(ERR, "%s: path=%s: %s", name, args.path, err);
		return -ENOTSUP;
	}
	if (type != VNETX_BACKEND_KERNEL) {
		const char *kernel_only = args.iface[0] ? "iface" : args.vhostfd[0] ? "vhostfd" :
					  args.tapfd[0] ? "tapfd" : args.keep_iface ? "keep_iface" : NULL;

		if (kernel_only != NULL) {
			VNETX_INIT_LOG(ERR, "%s: devarg %s applies to vhost-kernel (/dev/vhost-net) only, path=%s is %s",
				       name, kernel_only, args.path, vnetx_backend_type_name(type));
			return -EINVAL;
		}
	}
	if (args.iface[0] != '\0' && args.tapfd[0] != '\0') {
		VNETX_INIT_LOG(ERR, "%s: devargs iface and tapfd exclude each other: tapfd names its tap", name);
		return -EINVAL;
	}
	if (args.busy_poll_us > 0 && ops->set_vring_busyloop_timeout == NULL) {
		VNETX_INIT_LOG(ERR, "%s: devarg busy_poll_us applies to vhost-kernel (/dev/vhost-net) only, path=%s is %s",
			       name, args.path, vnetx_backend_type_name(type));
		return -EINVAL;
	}
	if (args.server && type != VNETX_BACKEND_USER) {
		VNETX_INIT_LOG(ERR, "%s: devarg server=1 applies to vhost-user sockets only, path=%s is %s",
			       name, args.path, vnetx_backend_type_name(type));
		return -EINVAL;
	}

	/* No dev_private (DPDK memory): the port's state is private memory,
	 * found through process_private. */
	dev = rte_eth_vdev_allocate(vdev, 0);
	if (dev == NULL) {
		VNETX_INIT_LOG(ERR, "%s: cannot allocate an ethdev port", name);
		return -ENOMEM;
	}
	port = vnetx_priv_zalloc(sizeof(*port), rte_socket_id());
	if (port == NULL) {
		ret = -ENOMEM;
		goto err_release;
	}
	dev->process_private = port;
	port->port_id = dev->data->port_id;
	port->wake_fd = -1;
	ret = pthread_mutex_init(&port->lock, NULL);
	if (ret != 0) {
		ret = -ret;
		goto err_port;
	}
	ret = vnetx_hw_init(&port->hw, ops, &args, name);
	if (ret < 0)
		goto err_mutex;
	port->hw.be_type = type;
	port->attached = ops->connected(&port->hw);
	ret = vnetx_hw_negotiate(&port->hw, vnetx_hw_wanted_features(&args));
	if (ret < 0)
		goto err_hw;

	/* As many entries as dev_info says: ethdev's mac_addr_add and our
	 * table commands index it up to max_mac_addrs. */
	dev->data->mac_addrs = rte_zmalloc(name, RTE_ETHER_ADDR_LEN * vnetx_port_max_mac_addrs(port), 0);
	if (dev->data->mac_addrs == NULL) {
		ret = -ENOMEM;
		goto err_hw;
	}
	memcpy(dev->data->mac_addrs, port->hw.config.mac, RTE_ETHER_ADDR_LEN);
	vnetx_filter_init(port);
	if (!vnetx_hw_has(&port->hw, VNETX_F_CTRL_RX)) {
		/* Without the control queue the backend delivers everything:
		 * say so, and refuse to turn it off (vnetx_filter.c). */
		dev->data->promiscuous = 1;
		dev->data->all_multicast = 1;
	}
	dev->dev_ops = &vnetx_eth_ops;
	dev->data->dev_link.link_speed = args.speed;
	dev->data->dev_link.link_duplex = RTE_ETH_LINK_FULL_DUPLEX;
	dev->data->dev_link.link_status = RTE_ETH_LINK_DOWN;
	dev->data->dev_flags |= RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	if (ops->connect != NULL || ops->link_up != NULL)
		dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC; /* backend or tap link */
	dev->data->mtu = RTE_ETHER_MTU;
	ret = vnetx_conn_start(dev);
	if (ret < 0)
		goto err_mac;
	port->hw.probed = true;
	rte_eth_dev_probing_finish(dev);
	VNETX_INIT_LOG(INFO, "%s: port %u on %s (%s%s), MAC " RTE_ETHER_ADDR_PRT_FMT "%s",
		       name, dev->data->port_id, args.path, ops->name,
		       args.server ? " server" : "",
		       RTE_ETHER_ADDR_BYTES(dev->data->mac_addrs),
		       port->attached ? "" : ", no backend yet");
	return 0;

err_mac:
	/* mac_addrs is freed by rte_eth_dev_release_port. */
err_hw:
	vnetx_hw_uninit(&port->hw);
err_mutex:
	pthread_mutex_destroy(&port->lock);
err_port:
	dev->process_private = NULL;
	vnetx_priv_free(port, sizeof(*port));
err_release:
	rte_eth_dev_release_port(dev);
	return ret;
}

static int
vnetx_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return 0; /* already closed by the application */
	if (dev->data->dev_started)
		rte_eth_dev_stop(dev->data->port_id);
	return rte_eth_dev_close(dev->data->port_id);
}

static struct rte_vdev_driver vnetx_vdev_driver = {
	.probe = vnetx_probe,
	.remove = vnetx_remove,
};

RTE_PMD_REGISTER_VDEV(net_vnetx, vnetx_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_vnetx, VNETX_PARAM_STRING);
