/* SPDX-License-Identifier: BSD-3-Clause
 * vnetx log types: pmd.net.vnetx.{driver,init,backend,datapath}.
 */
#ifndef VNETX_LOG_H
#define VNETX_LOG_H

#include <rte_log.h>

extern int vnetx_logtype_driver;
extern int vnetx_logtype_init;
extern int vnetx_logtype_backend;
extern int vnetx_logtype_datapath;

#define VNETX_LOG_T(type, level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, vnetx_logtype_ ## type, \
		"vnetx: " fmt "\n", ##__VA_ARGS__)

#define VNETX_LOG(level, fmt, ...) VNETX_LOG_T(driver, level, fmt, ##__VA_ARGS__)
#define VNETX_INIT_LOG(level, fmt, ...) VNETX_LOG_T(init, level, fmt, ##__VA_ARGS__)
#define VNETX_BE_LOG(level, fmt, ...) VNETX_LOG_T(backend, level, fmt, ##__VA_ARGS__)
#define VNETX_DP_LOG(level, fmt, ...) VNETX_LOG_T(datapath, level, fmt, ##__VA_ARGS__)

#endif /* VNETX_LOG_H */
