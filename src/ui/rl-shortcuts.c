/* rl-shortcuts.c
 *
 * The keyboard shortcuts, as libadwaita's shortcuts dialog (1.8) lists
 * them. Before 1.8 GTK's shortcuts window shows gtk/help-overlay.ui, which
 * holds the same titles, so one translation serves both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "rl-shortcuts.h"

#include <glib/gi18n.h>

const RlShortcut rl_shortcuts[] = {
  { N_ ("Calls"), N_ ("Call the number"), "Return" },
  { N_ ("Calls"), N_ ("Answer"), "<Ctrl><Shift>a" },
  { N_ ("Calls"), N_ ("Hang up"), "<Ctrl><Shift>h" },
  { N_ ("General"), N_ ("Search contacts, or calls on the History page"), "<Ctrl>f" },
  { N_ ("General"), N_ ("Import contacts"), "<Ctrl>o" },
  { N_ ("General"), N_ ("Preferences"), "<Ctrl>comma" },
  { N_ ("General"), N_ ("Close the window (the phone keeps running)"), "<Ctrl>w" },
  { N_ ("General"), N_ ("Quit"), "<Ctrl>q" },
};
const guint rl_n_shortcuts = G_N_ELEMENTS (rl_shortcuts);

#if ADW_CHECK_VERSION(1, 8, 0)
AdwDialog *
rl_shortcuts_dialog_new (void)
{
  AdwShortcutsDialog *dialog = ADW_SHORTCUTS_DIALOG (adw_shortcuts_dialog_new ());
  AdwShortcutsSection *section = NULL;

  for (guint i = 0; i < rl_n_shortcuts; i++)
    {
      if (section == NULL
          || g_strcmp0 (adw_shortcuts_section_get_title (section), _ (rl_shortcuts[i].group)) != 0)
        {
          section = adw_shortcuts_section_new (_ (rl_shortcuts[i].group));
          adw_shortcuts_dialog_add (dialog, section);
        }
      adw_shortcuts_section_add (
        section, adw_shortcuts_item_new (_ (rl_shortcuts[i].title), rl_shortcuts[i].accelerator));
    }
  return ADW_DIALOG (dialog);
}
#endif
