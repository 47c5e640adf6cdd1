/* fuzz-corpus.c: runs a fuzz target over every file of its regression corpus
 * (inputs that once crashed it, and the seeds), for builds without libFuzzer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
main (int argc, char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GDir) dir = g_dir_open (argv[i], 0, &error);
      const char *name;

      if (dir == NULL)
        g_error ("%s", error->message);
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *path = g_build_filename (argv[i], name, NULL);
          g_autofree char *contents = NULL;
          gsize len = 0;

          if (!g_file_get_contents (path, &contents, &len, &error))
            g_error ("%s", error->message);
          LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
          n++;
        }
    }
  g_print ("%u inputs ran without a fault\n", n);
  return n > 0 ? 0 : 1;
}
