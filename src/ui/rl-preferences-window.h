/* rl-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-core.h"

G_BEGIN_DECLS

#define RL_TYPE_PREFERENCES_WINDOW (rl_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (RlPreferencesWindow, rl_preferences_window, RL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

RlPreferencesWindow *rl_preferences_window_new (GtkWindow *parent, RlCore *core);

G_END_DECLS
