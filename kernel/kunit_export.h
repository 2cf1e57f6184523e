/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure-logic functions are exported only when the kernel has KUnit, so the
 * separate dmvpn_kunit.ko can test them without widening the module's ABI
 * on production kernels.
 */
#ifndef _DMVPN_KUNIT_EXPORT_H
#define _DMVPN_KUNIT_EXPORT_H

#include <linux/export.h>

#if IS_ENABLED(CONFIG_KUNIT)
#define DMVPN_KUNIT_EXPORT(sym) EXPORT_SYMBOL_GPL(sym)
#else
#define DMVPN_KUNIT_EXPORT(sym)
#endif

#endif /* _DMVPN_KUNIT_EXPORT_H */
