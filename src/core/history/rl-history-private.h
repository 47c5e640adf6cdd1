/* rl-history-private.h: seams for the history's tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-history.h"

G_BEGIN_DECLS

/* The database fills at @pages pages, as on a full disk. */
void _rl_history_set_max_pages (RlHistory *self, guint pages);

G_END_DECLS
