/* SPDX-License-Identifier: GPL-2.0 */
/* Command line and output names of dmvpn enums and flag bits. */
#ifndef _DMVPN_NAMES_H_
#define _DMVPN_NAMES_H_

#include <stddef.h>
#include <linux/types.h>

struct dmvpn_flag_name {
	__u32 flag;
	const char *name;
};

extern const struct dmvpn_flag_name dmvpn_entry_flag_names[];
extern const size_t dmvpn_entry_flag_count;
extern const struct dmvpn_flag_name dmvpn_mcast_flag_names[];
extern const size_t dmvpn_mcast_flag_count;

/* Unknown values print as their number, so newer kernels stay readable. */
const char *dmvpn_entry_type_n2a(unsigned int type, char *buf, size_t len);
const char *dmvpn_event_n2a(unsigned int event, char *buf, size_t len);
const char *dmvpn_role_n2a(unsigned int role, char *buf, size_t len);
const char *dmvpn_nhs_state_n2a(unsigned int state, char *buf, size_t len);

int dmvpn_entry_type_a2n(__u8 *type, const char *arg);
int dmvpn_role_a2n(__u8 *role, const char *arg);
/* "FLAG[,FLAG...]" of user-settable entry flags. */
int dmvpn_entry_flags_a2n(__u32 *flags, const char *arg);

#endif /* _DMVPN_NAMES_H_ */
