/* test-verbs.c: docs/dbus-api.md lists the verb table as the code has it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-verbs.h"

#include <string.h>

#define BEGIN "<!-- verbs: generated from src/core/service/rl-verbs.c -->\n"
#define END "<!-- verbs: end -->"

static void
test_doc_lists_verbs (void)
{
  g_autofree char *path
    = g_build_filename (g_getenv ("RL_SOURCE_ROOT"), "docs", "dbus-api.md", NULL);
  g_autofree char *doc = NULL;
  g_autofree char *want = rl_verbs_to_markdown ();
  g_autoptr (GError) error = NULL;
  const char *begin, *end;
  g_autofree char *have = NULL;

  g_assert_true (g_file_get_contents (path, &doc, NULL, &error));
  g_assert_no_error (error);
  begin = strstr (doc, BEGIN);
  end = begin ? strstr (begin, END) : NULL;
  g_assert_nonnull (end);
  have = g_strndup (begin + strlen (BEGIN), end - begin - strlen (BEGIN));
  if (g_strcmp0 (have, want) != 0)
    g_test_message ("docs/dbus-api.md should list, between its verbs markers:\n%s", want);
  g_assert_cmpstr (have, ==, want);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/verbs/doc-lists-verbs", test_doc_lists_verbs);
  return g_test_run ();
}
