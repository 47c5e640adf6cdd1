/* rl-idle.c: handing work from a worker thread to a main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-idle.h"

/**
 * rl_idle_post:
 * @context: (nullable): the loop to run @func in; %NULL for the global default
 *
 * Runs @func once in @context, after what was posted before at the same
 * priority. Unlike g_main_context_invoke_full(), never in the calling
 * thread: a worker thread without a context of its own counts the global
 * default as its own, so invoke would run @func right there whenever the
 * main thread is between two iterations — beside the main thread, and ahead
 * of what it had posted earlier.
 */
void
rl_idle_post (GMainContext *context, gint priority, GSourceFunc func, gpointer data,
              GDestroyNotify notify)
{
  g_autoptr (GSource) source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "[ringline] rl_idle_post");
  g_source_attach (source, context);
}
