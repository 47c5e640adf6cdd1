/* rl-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-core.h"

G_BEGIN_DECLS

#define RL_TYPE_WINDOW (rl_window_get_type ())
G_DECLARE_FINAL_TYPE (RlWindow, rl_window, RL, WINDOW, AdwApplicationWindow)

RlWindow *rl_window_new (GtkApplication *app, RlCore *core);
void rl_window_set_number (RlWindow *self, const char *number);
const char *rl_window_get_number (RlWindow *self);
void rl_window_show_toast (RlWindow *self, const char *text);
void rl_window_resize (RlWindow *self, int width, int height);

G_END_DECLS
