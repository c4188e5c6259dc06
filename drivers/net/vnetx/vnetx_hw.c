/* SPDX-License-Identifier: BSD-3-Clause
 * The emulated virtio-pci device: status state machine, feature negotiation,
 * config space and queue registers, programmed into a vhost backend.
 */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_ether.h>

#include "vnetx_hw.h"
#include "vnetx_log.h"
#include "vnetx_offload.h"
#include "vnetx_priv.h"

uint64_t
vnetx_hw_wanted_features(const struct vnetx_devargs *args)
{
	uint64_t f = VNETX_BIT(VNETX_F_VERSION_1) | VNETX_BIT(VNETX_F_MAC) |
		     VNETX_BIT(VNETX_F_STATUS) | VNETX_BIT(VNETX_F_EVENT_IDX) |
		     VNETX_BIT(VNETX_F_ANY_LAYOUT) | VNETX_OFFLOAD_FEATURES;

	if (args->mrg_rxbuf)
		f |= VNETX_BIT(VNETX_F_MRG_RXBUF);
	if (args->in_order)
		f |= VNETX_BIT(VNETX_F_IN_ORDER);
	if (args->packed_vq)
		f |= VNETX_BIT(VNETX_F_RING_PACKED);
	if (args->cq)
		f |= VNETX_CTRL_FEATURES & ~(args->queues > 1 ? 0 : VNETX_BIT(VNETX_F_MQ));
	return f;
}

/* The names of the devargs behind the required features, for refusals. */
static const struct {
	unsigned int bit;
	const char *feature;
	const char *devarg;
} vnetx_hw_required[] = {
	{ VNETX_F_MRG_RXBUF, "VIRTIO_NET_F_MRG_RXBUF", "mrg_rxbuf" },
	{ VNETX_F_RING_PACKED, "VIRTIO_F_RING_PACKED", "packed_vq" },
};

/* Does backend @features serve what the devargs require?  Logs the first
 * missing feature with the devarg that asked for it. */
static int
vnetx_hw_check_required(struct vnetx_hw *hw, uint64_t features)
{
	uint64_t missing = vnetx_hw_wanted_features(&hw->args) & VNETX_REQUIRED_FEATURES & ~features;
	unsigned int i;

	for (i = 0; i < RTE_DIM(vnetx_hw_required); i++)
		if (missing & VNETX_BIT(vnetx_hw_required[i].bit)) {
			VNETX_INIT_LOG(ERR, "%s: devarg %s=1 but the backend does not offer %s (features 0x%" PRIx64 "): use %s=0",
				       hw->name, vnetx_hw_required[i].devarg,
				       vnetx_hw_required[i].feature, features,
				       vnetx_hw_required[i].devarg);
			return -ENOTSUP;
		}
	return 0;
}

/* The optional features of a backend's connection: the first backend
 * decides them for the life of the port; a later one must offer them. */
static int
vnetx_hw_fix_optional(struct vnetx_hw *hw, uint64_t features)
{
	const uint64_t opt = VNETX_OPTIONAL_FEATURES | VNETX_OFFLOAD_FEATURES;
	uint64_t wanted = vnetx_hw_wanted_features(&hw->args);
	uint64_t need = hw->device_features & VNETX_OPTIONAL_FEATURES;
	/* The offloads the application configured: every backend must serve
	 * them, the first one too (the device offered them before it came). */
	uint64_t ol_missing = hw->offload_features & ~features;

	if (ol_missing) {
		vnetx_offload_log_missing(hw->name, features, ol_missing, hw->offloads_rx,
					  hw->offloads_tx);
		return -ENOTSUP;
	}
	if (!hw->features_fixed) {
		if (hw->args.in_order && !(features & VNETX_BIT(VNETX_F_IN_ORDER)))
			VNETX_INIT_LOG(NOTICE, "%s: devarg in_order=1 but the backend does not offer VIRTIO_F_IN_ORDER: rings run out of order",
				       hw->name);
		hw->device_features = (wanted & ~opt) | (wanted & opt & features);
		hw->features_fixed = true;
		return 0;
	}
	if ((features & need) != need) {
		VNETX_INIT_LOG(ERR, "%s: backend features 0x%" PRIx64 " lack 0x%" PRIx64 " this port runs with since its first backend (event index, any layout, in_order): refusing it",
			       hw->name, features, need & ~features);
		return -ENOTSUP;
	}
	return 0;
}

/* A backend with a config of its own (vhost-vdpa): the port takes the
 * device's MAC (unless the mac devarg names one) and MTU once, at the
 * probe; a device without a MAC gets the generated one, said. */
static void
vnetx_hw_adopt_config(struct vnetx_hw *hw, uint64_t features)
{
	struct vnetx_net_config cfg;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];

	if (hw->probed || hw->be->get_config(hw, &cfg) < 0)
		return;
	if ((features & VNETX_BIT(VNETX_F_MAC)) && !hw->args.mac_set)
		memcpy(hw->config.mac, cfg.mac, sizeof(cfg.mac));
	rte_ether_format_addr(mac, sizeof(mac), (const struct rte_ether_addr *)hw->config.mac);
	VNETX_INIT_LOG(NOTICE, "%s: MAC %s: %s", hw->name, mac,
		       hw->args.mac_set ? "the mac devarg" : (features & VNETX_BIT(VNETX_F_MAC)) ?
		       "the device's" : "the device offers none: generated, locally administered");
	if ((features & VNETX_BIT(VNETX_F_MTU)) && cfg.mtu >= RTE_ETHER_MIN_MTU) {
		hw->config.mtu = cfg.mtu;
		VNETX_INIT_LOG(INFO, "%s: the device's MTU: %u", hw->name, cfg.mtu);
	}
}

int
vnetx_hw_attach(struct vnetx_hw *hw)
{
	const struct vnetx_backend_ops *be = hw->be;
	const struct vnetx_devargs *args = &hw->args;
	const char *name = hw->name;
	uint64_t features;
	int ret;

	hw->backend_pairs = 1;
	ret = be->set_owner(hw);
	if (ret < 0)
		return ret;
	ret = be->get_features(hw, &features);
	if (ret < 0)
		return ret;
	if (!(features & VNETX_BIT(VNETX_F_VERSION_1))) {
		VNETX_INIT_LOG(ERR, "%s: backend features 0x%" PRIx64 " lack VIRTIO_F_VERSION_1: vnetx needs a virtio 1.x backend",
			       name, features);
		return -ENOTSUP;
	}
	if ((features & VNETX_BIT(VNETX_F_PROTOCOL_FEATURES)) &&
	    be->get_protocol_features != NULL) {
		uint64_t proto;

		ret = be->get_protocol_features(hw, &proto);
		if (ret == 0)
			ret = be->set_protocol_features(hw, proto & VNETX_USER_PROTO_WANTED);
		if (ret < 0)
			return ret;
	}
	if (be->get_queue_num != NULL) {
		ret = be->get_queue_num(hw, &hw->backend_pairs);
		if (ret < 0)
			return ret;
	}
	ret = vnetx_hw_check_required(hw, features);
	if (ret < 0)
		return ret;
	if (be->get_config != NULL)
		vnetx_hw_adopt_config(hw, features);
	if (args->queues > hw->backend_pairs) {
		VNETX_INIT_LOG(ERR, "%s: devarg queues=%u exceeds the %u queue pairs the backend serves",
			       name, args->queues, hw->backend_pairs);
		return -EINVAL;
	}
	ret = vnetx_hw_fix_optional(hw, features);
	if (ret < 0)
		return ret;
	hw->backend_features = features;
	VNETX_INIT_LOG(INFO, "%s: %s backend, features 0x%" PRIx64 ", %u queue pair(s)",
		       name, be->name, features, hw->backend_pairs);
	return 0;
}

int
vnetx_hw_init(struct vnetx_hw *hw, const struct vnetx_backend_ops *be,
	      const struct vnetx_devargs *args, const char *name)
{
	uint16_t i;
	int ret;

	memset(hw, 0, sizeof(*hw));
	hw->be = be;
	hw->args = *args;
	snprintf(hw->name, sizeof(hw->name), "%s", name);
	hw->backend_pairs = 1;
	hw->mtu = RTE_ETHER_MTU;

	hw->nr_vrings = (uint16_t)(2 * args->queues);
	hw->vrings = vnetx_priv_zalloc(sizeof(*hw->vrings) * hw->nr_vrings, SOCKET_ID_ANY);
	if (hw->vrings == NULL) {
		VNETX_INIT_LOG(ERR, "%s: cannot allocate %u vring records", name, hw->nr_vrings);
		return -ENOMEM;
	}
	for (i = 0; i < hw->nr_vrings; i++)
		hw->vrings[i].kickfd = hw->vrings[i].callfd = -1;
	for (i = 0; i < hw->nr_vrings; i++) {
		hw->vrings[i].kickfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (hw->vrings[i].kickfd < 0) {
			ret = -errno;
			VNETX_INIT_LOG(ERR, "%s: eventfd for ring %u: %s", name, i, strerror(errno));
			goto err_fds;
		}
	}

	/* The device offers what the devargs ask, backend or not: what the
	 * port reports never depends on when a backend comes. */
	hw->device_features = vnetx_hw_wanted_features(args);
	if (args->mac_set)
		rte_ether_addr_copy(&args->mac, (struct rte_ether_addr *)hw->config.mac);
	else
		rte_eth_random_addr(hw->config.mac);
	hw->config.max_virtqueue_pairs = (uint16_t)args->queues;
	hw->config.mtu = RTE_ETHER_MTU;
	ret = be->open(hw);
	if (ret < 0)
		goto err_fds;
	if (be->connected(hw)) {
		ret = vnetx_hw_attach(hw);
		if (ret < 0)
			goto err_open;
	} else {
		VNETX_INIT_LOG(NOTICE, "%s: no backend yet: the device offers features 0x%" PRIx64 " from the devargs; a backend without 0x%" PRIx64 " will be refused",
			       name, hw->device_features,
			       (uint64_t)(hw->device_features & VNETX_REQUIRED_FEATURES));
	}

	if (args->cq) {
		/* Private memory, no memzone: nothing to name, nothing that
		 * two ports' names could make collide. */
		hw->cvq = vnetx_priv_zalloc(sizeof(*hw->cvq), SOCKET_ID_ANY);
		ret = hw->cvq == NULL ? -ENOMEM : vnetx_cvq_alloc(hw->cvq, name, SOCKET_ID_ANY, false);
		if (ret == 0)
			vnetx_cvq_reset(hw->cvq, false);
		if (ret < 0) {
			VNETX_INIT_LOG(ERR, "%s: cannot allocate the control queue", name);
			vnetx_priv_free(hw->cvq, sizeof(*hw->cvq));
			hw->cvq = NULL;
			goto err_open;
		}
	}
	return 0;

err_open:
	be->close(hw);
err_fds:
	for (i = 0; i < hw->nr_vrings; i++)
		if (hw->vrings[i].kickfd >= 0)
			close(hw->vrings[i].kickfd);
	vnetx_priv_free(hw->vrings, sizeof(*hw->vrings) * hw->nr_vrings);
	memset(hw, 0, sizeof(*hw)); /* a later uninit finds nothing to undo */
	return ret;
}

void
vnetx_hw_uninit(struct vnetx_hw *hw)
{
	uint16_t i;

	if (hw->be == NULL)
		return;
	vnetx_hw_set_status(hw, VNETX_STATUS_RESET);
	hw->be->close(hw);
	for (i = 0; i < hw->nr_vrings; i++)
		if (hw->vrings[i].kickfd >= 0)
			close(hw->vrings[i].kickfd);
	vnetx_priv_free(hw->vrings, sizeof(*hw->vrings) * hw->nr_vrings);
	hw->vrings = NULL;
	if (hw->cvq != NULL) {
		vnetx_cvq_free(hw->cvq);
		vnetx_priv_free(hw->cvq, sizeof(*hw->cvq));
		hw->cvq = NULL;
	}
	hw->be = NULL;
}

uint8_t
vnetx_hw_get_status(const struct vnetx_hw *hw)
{
	return hw->status;
}

uint64_t
vnetx_hw_get_device_features(const struct vnetx_hw *hw)
{
	return hw->device_features;
}

int
vnetx_hw_set_driver_features(struct vnetx_hw *hw, uint64_t features)
{
	if (!(hw->status & VNETX_STATUS_DRIVER) ||
	    (hw->status & VNETX_STATUS_FEATURES_OK))
		return -EPERM;
	hw->driver_features = features;
	return 0;
}

/* Stop rings [0, n) that reached the backend: disable, then GET_VRING_BASE,
 * which also tells us the backend has stopped touching them. */
static void
vnetx_hw_stop_rings(struct vnetx_hw *hw)
{
	bool live = hw->be->connected(hw);
	uint16_t i, base;

	if (live && hw->be->suspend != NULL)
		hw->be->suspend(hw);
	for (i = 0; i < hw->nr_vrings; i++) {
		struct vnetx_hw_vring *vr = &hw->vrings[i];

		if (!vr->started)
			continue;
		vr->started = false;
		if (!hw->be->connected(hw))
			continue;
		hw->be->set_vring_enable(hw, i, false);
		hw->be->get_vring_base(hw, i, &base);
	}
	/* A device with a status register forgets the rings and memory. */
	if (live && hw->be->set_status != NULL)
		hw->be->set_status(hw, VNETX_STATUS_RESET);
}

static int
vnetx_hw_start_ring(struct vnetx_hw *hw, uint16_t i)
{
	const struct vnetx_backend_ops *be = hw->be;
	struct vnetx_hw_vring *vr = &hw->vrings[i];
	int ret;

	ret = be->set_vring_num(hw, i, vr->num);
	/* A fresh ring: index 0, and for a packed ring lap (wrap counter) 1. */
	if (ret == 0)
		ret = be->set_vring_base(hw, i, vnetx_hw_has(hw, VNETX_F_RING_PACKED) ?
					 VNETX_PACKED_BASE_WRAP : 0);
	if (ret == 0)
		ret = be->set_vring_addr(hw, i, &vr->addr);
	if (ret == 0)
		ret = be->set_vring_kick(hw, i, vr->kickfd);
	if (ret == 0)
		ret = be->set_vring_call(hw, i, vr->callfd);
	if (ret == 0 && hw->args.busy_poll_us > 0)
		ret = be->set_vring_busyloop_timeout == NULL ? -ENOTSUP :
		      be->set_vring_busyloop_timeout(hw, i, hw->args.busy_poll_us);
	/* With MQ the device starts with one pair; VQ_PAIRS_SET adds more. */
	if (ret == 0)
		ret = be->set_vring_enable(hw, i, !vnetx_hw_has(hw, VNETX_F_MQ) || i < 2);
	if (ret == 0)
		vr->started = true;
	return ret;
}

/* DRIVER_OK: program the backend with everything the driver configured. */
static int
vnetx_hw_start_backend(struct vnetx_hw *hw)
{
	const struct vnetx_backend_ops *be = hw->be;
	struct vnetx_mem_table *mt;
	char err[256];
	uint16_t i;
	int ret;

	if (!be->connected(hw)) {
		VNETX_BE_LOG(ERR, "%s: backend not connected", hw->name);
		return -ENOTCONN;
	}
	ret = be->set_features(hw, hw->driver_features & hw->backend_features &
			       ~(VNETX_CTRL_FEATURES & ~VNETX_BIT(VNETX_F_MQ)));
	if (ret < 0)
		return ret;
	mt = vnetx_mem_table_build(be->max_mem_regions(hw), be->mem_by_fd, err, sizeof(err));
	if (mt == NULL) {
		VNETX_BE_LOG(ERR, "%s: %s", hw->name, err);
		return -ENOSPC;
	}
	VNETX_BE_LOG(INFO, "%s: memory table: %u region(s)%s", hw->name, mt->nregions,
		     be->mem_by_fd ? "" : " (by address)");
	ret = be->set_mem_table(hw, mt);
	vnetx_mem_table_free(mt);
	if (ret < 0)
		return ret;
	if (be->set_mtu != NULL) {
		ret = be->set_mtu(hw, hw->mtu);
		if (ret < 0 && ret != -ENOTSUP)
			return ret;
	}
	for (i = 0; i < hw->nr_vrings; i++) {
		if (!hw->vrings[i].set)
			continue;
		ret = vnetx_hw_start_ring(hw, i);
		if (ret < 0) {
			VNETX_BE_LOG(ERR, "%s: cannot start ring %u: %s", hw->name, i, strerror(-ret));
			vnetx_hw_stop_rings(hw);
			return ret;
		}
	}
	if (hw->cvq != NULL)
		vnetx_cvq_reset(hw->cvq, vnetx_hw_has(hw, VNETX_F_RING_PACKED));
	hw->active_pairs = 1;
	if (be->set_status != NULL) {
		ret = be->set_status(hw, VNETX_STATUS_DRIVER_OK);
		if (ret < 0) {
			VNETX_BE_LOG(ERR, "%s: the device did not start: %s", hw->name, strerror(-ret));
			vnetx_hw_stop_rings(hw);
			return ret;
		}
	}
	hw->config.status |= VNETX_NET_S_LINK_UP;
	return 0;
}

int
vnetx_hw_set_status(struct vnetx_hw *hw, uint8_t status)
{
	uint8_t old = hw->status, added = status & ~old;
	int ret;

	if (status == VNETX_STATUS_RESET) {
		uint16_t i;

		if (old & VNETX_STATUS_DRIVER_OK)
			vnetx_hw_stop_rings(hw);
		for (i = 0; i < hw->nr_vrings; i++)
			hw->vrings[i].set = false; /* reset clears queue registers */
		hw->status = VNETX_STATUS_RESET;
		hw->driver_features = 0;
		hw->config.status &= ~VNETX_NET_S_LINK_UP;
		return 0;
	}
	/* The driver only adds bits; clearing needs a reset. */
	if (old & ~status)
		return -EINVAL;
	if (added & VNETX_STATUS_FAILED) {
		hw->status = status;
		return 0;
	}
	if (((status & VNETX_STATUS_DRIVER) && !(status & VNETX_STATUS_ACKNOWLEDGE)) ||
	    ((status & VNETX_STATUS_FEATURES_OK) && !(status & VNETX_STATUS_DRIVER)) ||
	    ((status & VNETX_STATUS_DRIVER_OK) && !(status & VNETX_STATUS_FEATURES_OK)))
		return -EINVAL;
	if ((added & VNETX_STATUS_FEATURES_OK) &&
	    ((hw->driver_features & ~hw->device_features) != 0 ||
	     !(hw->driver_features & VNETX_BIT(VNETX_F_VERSION_1)))) {
		/* The device keeps FEATURES_OK only for a subset it offers that
		 * includes VERSION_1; the driver finds out by re-reading. */
		hw->status = status & ~(VNETX_STATUS_FEATURES_OK | VNETX_STATUS_DRIVER_OK);
		return (added & VNETX_STATUS_DRIVER_OK) ? -EINVAL : 0;
	}
	if (added & VNETX_STATUS_DRIVER_OK) {
		ret = vnetx_hw_start_backend(hw);
		if (ret < 0) {
			hw->status = old | VNETX_STATUS_FAILED;
			return ret;
		}
	}
	hw->status = status;
	return 0;
}

int
vnetx_hw_negotiate(struct vnetx_hw *hw, uint64_t wanted)
{
	/* Offload features only as the configured offloads need them. */
	uint64_t features = hw->device_features & wanted &
			    (~VNETX_OFFLOAD_FEATURES | hw->offload_features);

	vnetx_hw_set_status(hw, VNETX_STATUS_RESET);
	vnetx_hw_set_status(hw, VNETX_STATUS_ACKNOWLEDGE);
	vnetx_hw_set_status(hw, VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER);
	vnetx_hw_set_driver_features(hw, features);
	vnetx_hw_set_status(hw, VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER |
			    VNETX_STATUS_FEATURES_OK);
	if (!(vnetx_hw_get_status(hw) & VNETX_STATUS_FEATURES_OK)) {
		VNETX_INIT_LOG(ERR, "%s: device refused features 0x%" PRIx64 " (offers 0x%" PRIx64 ")",
			       hw->name, features, hw->device_features);
		vnetx_hw_set_status(hw, hw->status | VNETX_STATUS_FAILED);
		return -ENOTSUP;
	}
	VNETX_INIT_LOG(DEBUG, "%s: negotiated features 0x%" PRIx64, hw->name, features);
	return 0;
}

int
vnetx_hw_queue_set(struct vnetx_hw *hw, uint16_t idx, uint16_t num,
		   const struct vnetx_vring_addr *addr)
{
	if (idx >= hw->nr_vrings || (hw->status & VNETX_STATUS_DRIVER_OK))
		return -EINVAL;
	hw->vrings[idx].num = num;
	hw->vrings[idx].addr = *addr;
	hw->vrings[idx].set = true;
	return 0;
}

void
vnetx_hw_queue_clear(struct vnetx_hw *hw, uint16_t idx)
{
	if (idx < hw->nr_vrings)
		hw->vrings[idx].set = false;
}

int
vnetx_hw_kickfd(const struct vnetx_hw *hw, uint16_t idx)
{
	return idx < hw->nr_vrings ? hw->vrings[idx].kickfd : -1;
}

bool
vnetx_hw_link_up(struct vnetx_hw *hw)
{
	return (hw->status & VNETX_STATUS_DRIVER_OK) &&
	       (hw->config.status & VNETX_NET_S_LINK_UP) &&
	       hw->be->connected(hw);
}

void
vnetx_hw_notify_cvq(struct vnetx_hw *hw)
{
	/* vhost-user and vhost-kernel have no control queue: emulate it. */
	vnetx_cvq_device_process(hw);
}

int
vnetx_hw_set_active_pairs(struct vnetx_hw *hw, uint16_t pairs)
{
	uint16_t i;
	int ret;

	for (i = 0; i < hw->nr_vrings; i++) {
		if (!hw->vrings[i].started)
			continue;
		ret = hw->be->set_vring_enable(hw, i, i / 2 < pairs);
		if (ret < 0)
			return ret;
	}
	hw->active_pairs = pairs;
	return 0;
}
