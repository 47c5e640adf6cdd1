/* rl-idle.h: handing work from a worker thread to a main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void rl_idle_post (GMainContext *context, gint priority, GSourceFunc func, gpointer data,
                   GDestroyNotify notify);

G_END_DECLS
