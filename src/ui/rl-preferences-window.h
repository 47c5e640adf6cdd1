/* rl-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rl-core.h"

G_BEGIN_DECLS

/* A dialog inside the window where libadwaita has them (1.5), a window of
 * its own before. */
#define RL_TYPE_PREFERENCES_WINDOW (rl_preferences_window_get_type ())
#if ADW_CHECK_VERSION(1, 5, 0)
G_DECLARE_FINAL_TYPE (RlPreferencesWindow, rl_preferences_window, RL, PREFERENCES_WINDOW,
                      AdwPreferencesDialog)
#else
G_DECLARE_FINAL_TYPE (RlPreferencesWindow, rl_preferences_window, RL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)
#endif

RlPreferencesWindow *rl_preferences_window_new (RlCore *core);
void rl_preferences_window_present (RlPreferencesWindow *self, GtkWidget *parent);
void rl_preferences_window_close (RlPreferencesWindow *self);

G_END_DECLS
