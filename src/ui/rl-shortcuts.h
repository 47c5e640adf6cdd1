/* rl-shortcuts.h: the keyboard shortcuts the agent is shown.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef struct
{
  const char *group; /* untranslated (N_) */
  const char *title; /* untranslated (N_) */
  const char *accelerator;
} RlShortcut;

/* The same list as gtk/help-overlay.ui, GTK's shortcuts window that
 * libadwaita before 1.8 shows (test-window keeps the two alike). */
extern const RlShortcut rl_shortcuts[];
extern const guint rl_n_shortcuts;

#if ADW_CHECK_VERSION(1, 8, 0)
AdwDialog *rl_shortcuts_dialog_new (void);
#endif

G_END_DECLS
