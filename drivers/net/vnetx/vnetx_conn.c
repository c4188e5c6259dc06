/* SPDX-License-Identifier: BSD-3-Clause
 * The connection thread of a port whose backend can come and go
 * (vhost-user) or has a link of its own to watch (vhost-kernel's tap): one
 * control thread per port ("vnetx-c<port>") owns the
 * waiting (poll on the backend's fd, its wake eventfd and the retry timer);
 * every step it takes on the device holds port->lock, the same mutex the
 * application's ethdev calls hold, so the two never interleave.
 *
 * Each step: if the backend's connection is gone, take the rings down (every
 * mbuf back to its pool), drop the connection, link down (event); then try to
 * connect (client: connect, server: accept), attach (features, queues) and,
 * if the port is started, bring fresh rings up, link up (event).  A client
 * retries after 10 ms doubling to reconnect_ms, and at once when something
 * changes in the socket's directory; a server waits for the next connection.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "vnetx_ethdev.h"
#include "vnetx_log.h"

#define VNETX_CONN_FIRST_RETRY_MS 10

/* Longest wait between attempts: reconnect_ms (server mode too, for
 * failed accepts and refused backends; 1 s if reconnect_ms is 0 there). */
static uint32_t
vnetx_conn_max_backoff(const struct vnetx_hw *hw)
{
	return hw->args.reconnect_ms ? hw->args.reconnect_ms : 1000;
}

/* The backend went away: nothing of it survives. */
static void
vnetx_conn_lost(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port_of(dev);
	struct vnetx_hw *hw = &port->hw;

	if (port->rings_up)
		vnetx_port_rings_down(dev, true);
	hw->be->disconnect(hw);
	port->attached = false;
	port->backend_losses++;
	/* A backend that lived a while gets a prompt retry; one that dies
	 * right after attaching (a crash loop) meets a growing backoff
	 * instead of a connect-negotiate-drop storm. */
	if (rte_get_timer_cycles() - port->attached_at >
	    rte_get_timer_hz() * vnetx_conn_max_backoff(hw) / 1000)
		port->backoff_ms = 0;
	VNETX_BE_LOG(NOTICE, "%s: backend on %s gone: link down, %s", hw->name, hw->args.path,
		     hw->args.server ? "waiting for a backend to connect" :
		     hw->args.reconnect_ms ? "reconnecting" : "reconnect_ms=0: not reconnecting");
	vnetx_port_link_set(dev, true);
}

/* A connection is there: attach and, if started, bring the rings up. */
static int
vnetx_conn_established(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port_of(dev);
	struct vnetx_hw *hw = &port->hw;
	int ret;

	ret = vnetx_hw_attach(hw);
	if (ret == 0 && dev->data->dev_started)
		ret = vnetx_port_rings_up(dev);
	if (ret < 0) {
		VNETX_BE_LOG(ERR, "%s: backend on %s refused or broke the connection (%s): dropped, %s",
			     hw->name, hw->args.path, strerror(-ret),
			     hw->args.server ? "waiting for the next one" : "retrying");
		hw->be->disconnect(hw);
		return ret;
	}
	port->attached = true;
	port->backend_connects++;
	VNETX_BE_LOG(NOTICE, "%s: backend on %s attached%s", hw->name, hw->args.path,
		     port->rings_up ? ": link up" : "");
	vnetx_port_link_set(dev, true);
	return 0;
}

/* One look at the connection.  Returns the poll timeout until the next
 * look (-1: on an fd event only). */
static int
vnetx_conn_step(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port_of(dev);
	struct vnetx_hw *hw = &port->hw;
	int ret;

	if (hw->be->connect == NULL) {
		/* Connected from open to close: only the far side's link
		 * changes (vhost-kernel: the tap up/down, carrier). */
		hw->be->drain_events(hw);
		vnetx_port_link_set(dev, true);
		return -1;
	}
	if (hw->be->connected(hw)) {
		/* Every connection is attached before it is kept; the device's
		 * own link (vhost-vdpa's config status) may have changed. */
		if (port->attached && hw->be->link_up != NULL)
			vnetx_port_link_set(dev, true);
		return -1;
	}
	if (port->attached)
		vnetx_conn_lost(dev);
	else
		hw->be->disconnect(hw); /* broke before attach completed */
	if (!hw->args.server && hw->args.reconnect_ms == 0)
		return -1;
	ret = hw->be->connect(hw);
	if (ret == 0)
		ret = vnetx_conn_established(dev);
	if (ret == 0) {
		port->attached_at = rte_get_timer_cycles();
		return -1;
	}
	/* A server waits for the next connection on the listening socket;
	 * any other failure (a client's attempt, a refused backend, an
	 * accept error) is retried after the backoff. */
	if (hw->args.server && ret == -EAGAIN)
		return -1;
	port->backoff_ms = port->backoff_ms == 0 ? VNETX_CONN_FIRST_RETRY_MS :
			   port->backoff_ms * 2;
	port->backoff_ms = RTE_MIN(port->backoff_ms, vnetx_conn_max_backoff(hw));
	return (int)port->backoff_ms;
}

static void *
vnetx_conn_thread(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct vnetx_port *port = vnetx_port_of(dev);
	struct vnetx_hw *hw = &port->hw;
	bool path_event = false;

	for (;;) {
		struct pollfd pfd[2] = { { .fd = port->wake_fd, .events = POLLIN } };
		nfds_t n = 1;
		int timeout;

		pthread_mutex_lock(&port->lock);
		if (port->conn_exit) {
			pthread_mutex_unlock(&port->lock);
			break;
		}
		if (path_event)
			port->backoff_ms = 0;
		timeout = vnetx_conn_step(dev);
		pfd[1].fd = hw->be->poll_fd(hw, &pfd[1].events);
		/* A server backing off after an error must not poll the
		 * listening socket: a pending connection keeps it readable. */
		if (pfd[1].fd >= 0 && !(hw->args.server && timeout >= 0))
			n = 2;
		pthread_mutex_unlock(&port->lock);
		path_event = false;
		if (poll(pfd, n, timeout) <= 0)
			continue; /* timer: retry with the grown backoff */
		if (pfd[0].revents & POLLIN) {
			uint64_t v;
			ssize_t r = read(port->wake_fd, &v, sizeof(v));

			RTE_SET_USED(r);
		}
		/* Something happened at the socket's path (a backend binding,
		 * then listening a moment later): retry soon, whatever the
		 * backoff had grown to. */
		path_event = n == 2 && (pfd[1].revents & POLLIN);
	}
	return NULL;
}

void
vnetx_conn_wake(struct vnetx_port *port)
{
	uint64_t one = 1;
	ssize_t r;

	if (port->wake_fd < 0)
		return;
	r = write(port->wake_fd, &one, sizeof(one));
	RTE_SET_USED(r);
}

int
vnetx_conn_start(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port_of(dev);
	char name[RTE_MAX_THREAD_NAME_LEN];
	int ret;

	port->wake_fd = -1;
	if (port->hw.be->connect == NULL && port->hw.be->link_up == NULL)
		return 0; /* connected from open to close, nothing to watch */
	port->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (port->wake_fd < 0) {
		ret = -errno;
		VNETX_INIT_LOG(ERR, "%s: eventfd: %s", port->hw.name, strerror(errno));
		return ret;
	}
	snprintf(name, sizeof(name), "vnetx-c%u", dev->data->port_id);
	ret = rte_ctrl_thread_create(&port->conn_thread, name, NULL, vnetx_conn_thread, dev);
	if (ret != 0) {
		VNETX_INIT_LOG(ERR, "%s: cannot start the connection thread: %s",
			       port->hw.name, strerror(ret));
		close(port->wake_fd);
		port->wake_fd = -1;
		return -ret;
	}
	port->conn_running = true;
	return 0;
}

void
vnetx_conn_stop(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port_of(dev);

	if (port->conn_running) {
		pthread_mutex_lock(&port->lock);
		port->conn_exit = true;
		pthread_mutex_unlock(&port->lock);
		vnetx_conn_wake(port);
		pthread_join(port->conn_thread, NULL);
		port->conn_running = false;
	}
	if (port->wake_fd >= 0) {
		close(port->wake_fd);
		port->wake_fd = -1;
	}
}
