/* scr_form.c - the form that starts a new search: strategy, budget, seed,
 * dataset, N, F, epochs, batch, train/validation sizes, workers and a name.  Enter
 * starts this program's own `nasview search` (every field is one of its
 * options) detached (spawn.c) with its output in a log file next
 * to the database; the search then appears in the database. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "search/evaluator.h"

#include "screens.h"
#include "spawn.h"

typedef enum { FIELD_CHOICE, FIELD_INT, FIELD_TEXT } FieldKind;

typedef struct {
    const char *label;
    const char *flag;      /* the `nasview search` option */
    FieldKind kind;
    long lo, hi;           /* FIELD_INT bounds */
    const char *help;
} FieldSpec;

static const FieldSpec fields[] = {
    { "Strategy", "--strategy", FIELD_CHOICE, 0, 0,
      "rl: LSTM controller (PPO); random: uniform; evolution: aging evolution; "
      "+ws: with weight sharing (ENAS)" },
    { "Budget", "--budget", FIELD_INT, 1, 100000, "children to train" },
    { "Seed", "--seed", FIELD_INT, 0, 2147483647, "all randomness comes from it" },
    { "Dataset", "--dataset", FIELD_TEXT, 0, 0,
      "fashion-mnist, cifar10:DIR or a directory of IDX files" },
    { "N (cells/stack)", "--N", FIELD_INT, 1, 10, "normal cells per stack" },
    { "F (filters)", "--F", FIELD_INT, 1, 512, "filters of the first stack" },
    { "Epochs", "--epochs", FIELD_INT, 1, 1000, "per child" },
    { "Batch", "--batch", FIELD_INT, 1, 4096, "images per minibatch" },
    { "Train size", "--train-size", FIELD_INT, 1, 60000, "images to train each child on" },
    { "Validation size", "--val-size", FIELD_INT, 1, 60000, "images its reward is measured on" },
    { "Workers", "--workers", FIELD_INT, 1, EVAL_MAX_WORKERS,
      "children trained at once, one thread each" },
    { "Name", "--name", FIELD_TEXT, 0, 0, "to find the search again" },
};
enum {
    NFIELDS = sizeof fields / sizeof fields[0],
    F_STRATEGY = 0,
    F_WORKERS = 10,
    F_NAME = 11
};

/* "+ws": the strategy with --weight-sharing (ENAS; rl and random only). */
static const char *const strategies[] = { "random", "rl", "evolution",
                                          "rl+ws", "random+ws" };

typedef struct {
    Screen base;
    char value[NFIELDS][256];
    int focus;
} FormScreen;

static void form_draw(Screen *s, App *a, UiGrid *g, int x, int y, int w, int h)
{
    FormScreen *f = (FormScreen *)s;
    (void)a;
    ui_grid_text(g, x, y, "New search", UI_ROLE_TITLE);
    for (int i = 0; i < NFIELDS && 2 + i < h; i++) {
        int r = y + 2 + i;
        int sel = i == f->focus;
        ui_grid_text(g, x + 2, r, fields[i].label, sel ? UI_ROLE_TITLE : UI_ROLE_NORMAL);
        char v[300];
        if (fields[i].kind == FIELD_CHOICE)
            snprintf(v, sizeof v, "< %s >", f->value[i]);
        else
            snprintf(v, sizeof v, "%s%s", f->value[i], sel ? "_" : "");
        for (int c = 0; c < 32; c++)
            ui_grid_put(g, x + 20 + c, r, ' ', sel ? UI_ROLE_SELECT : UI_ROLE_DIM);
        ui_grid_text(g, x + 20, r, v, sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL);
        if (w > 56)
            ui_grid_text(g, x + 54, r, fields[i].help, UI_ROLE_DIM);
    }
    int r = y + 3 + NFIELDS;
    ui_grid_text(g, x + 2, r, "Enter starts the search in the background "
                 "(it keeps running when nasview closes); Esc cancels.",
                 UI_ROLE_DIM);
}

static void form_defaults(FormScreen *f)
{
    static const char *const def[NFIELDS] = {
        "random", "20", "1", "fashion-mnist", "1", "8", "1", "64", "10000", "5000",
        "1", ""
    };
    for (int i = 0; i < NFIELDS; i++)
        snprintf(f->value[i], sizeof f->value[i], "%s", def[i]);
    /* As `nasview search` does without --workers: one per online core. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    snprintf(f->value[F_WORKERS], sizeof f->value[F_WORKERS], "%ld",
             cores < 1 ? 1 : cores > EVAL_MAX_WORKERS ? EVAL_MAX_WORKERS : cores);
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(f->value[F_NAME], sizeof f->value[F_NAME], "search-%Y%m%d-%H%M%S", &tm);
}

/* Check every field; on a problem focus it and say what is wrong. */
static int form_valid(FormScreen *f, App *a)
{
    NvError err;
    for (int i = 0; i < NFIELDS; i++) {
        if (fields[i].kind == FIELD_INT) {
            char *end;
            long v = strtol(f->value[i], &end, 10);
            if (!f->value[i][0] || *end || v < fields[i].lo || v > fields[i].hi) {
                f->focus = i;
                app_message(a, 1, "%s must be a whole number from %ld to %ld",
                            fields[i].label, fields[i].lo, fields[i].hi);
                return 0;
            }
        } else if (fields[i].kind == FIELD_TEXT && !f->value[i][0]) {
            f->focus = i;
            app_message(a, 1, "%s must not be empty", fields[i].label);
            return 0;
        } else if (i == F_NAME && store_name_check(f->value[i], &err)) {
            f->focus = i;
            app_message(a, 1, "%s: %s", fields[i].label, err.msg);
            return 0;
        }
    }
    return 1;
}

static void form_start(FormScreen *f, App *a)
{
    if (!form_valid(f, a))
        return;
    char *argv[5 + 2 * NFIELDS + 1];
    char strategy[256];
    int n = 0;
    argv[n++] = (char *)"nasview";
    argv[n++] = (char *)"search";
    argv[n++] = (char *)"--db";
    argv[n++] = (char *)a->cfg.db_path;
    for (int i = 0; i < NFIELDS; i++) {
        argv[n++] = (char *)fields[i].flag;
        argv[n++] = f->value[i];
        char *ws;
        if (i == F_STRATEGY && (ws = strstr(f->value[i], "+ws")) != NULL) {
            snprintf(strategy, sizeof strategy, "%.*s",
                     (int)(ws - f->value[i]), f->value[i]);
            argv[n - 1] = strategy;
            argv[n++] = (char *)"--weight-sharing";
        }
    }
    argv[n] = NULL;
    char log[4200];
    spawn_log_path(a->cfg.db_path, (long)time(NULL), log, sizeof log);
    pid_t pid;
    NvError err;
    nv_error_clear(&err);
    if (spawn_search(a->cfg.self_exe, argv, log, &pid, &err) != NV_OK) {
        app_message(a, 1, "%s", err.msg);
        return;
    }
    char name[256];
    snprintf(name, sizeof name, "%s", f->value[F_NAME]);
    app_pop(a); /* frees f */
    app_started_search(a, name, (int)pid, log);
}

static void cycle(FormScreen *f, int dir)
{
    int n = (int)(sizeof strategies / sizeof strategies[0]), cur = 0;
    for (int i = 0; i < n; i++)
        if (!strcmp(f->value[F_STRATEGY], strategies[i]))
            cur = i;
    cur = (cur + dir + n) % n;
    snprintf(f->value[F_STRATEGY], sizeof f->value[F_STRATEGY], "%s", strategies[cur]);
}

static int form_key(Screen *s, App *a, int key)
{
    FormScreen *f = (FormScreen *)s;
    const FieldSpec *fs = &fields[f->focus];
    char *v = f->value[f->focus];
    size_t len = strlen(v);
    switch (key) {
    case UI_KEY_DOWN: case '\t':
        f->focus = (f->focus + 1) % NFIELDS;
        return 1;
    case UI_KEY_UP: case UI_KEY_BTAB:
        f->focus = (f->focus + NFIELDS - 1) % NFIELDS;
        return 1;
    case '\r': case '\n': case UI_KEY_ENTER:
        form_start(f, a);
        return 1;
    case UI_KEY_ESC:
        app_pop(a);
        return 1;
    default:
        break;
    }
    if (fs->kind == FIELD_CHOICE) {
        if (key == UI_KEY_LEFT || key == 'h')
            cycle(f, -1);
        else if (key == UI_KEY_RIGHT || key == 'l' || key == ' ')
            cycle(f, 1);
        else if (key == 'j')
            f->focus = (f->focus + 1) % NFIELDS;
        else if (key == 'k')
            f->focus = (f->focus + NFIELDS - 1) % NFIELDS;
        else if (key == 'q')
            app_pop(a);
        return 1;
    }
    if (key == UI_KEY_BACKSPACE || key == 127 || key == 8) {
        if (len)
            v[len - 1] = '\0';
        return 1;
    }
    if (key == 21) {
        v[0] = '\0';
        return 1;
    }
    if (fs->kind == FIELD_INT) {
        if (key >= '0' && key <= '9' && len < 12) {
            v[len] = (char)key;
            v[len + 1] = '\0';
        } else if (key == 'j') {
            f->focus = (f->focus + 1) % NFIELDS;
        } else if (key == 'k') {
            f->focus = (f->focus + NFIELDS - 1) % NFIELDS;
        } else if (key == 'q') {
            app_pop(a);
        }
        return 1;
    }
    if (key >= 0x20 && key < 0x7f && len + 1 < sizeof f->value[0]) {
        v[len] = (char)key;
        v[len + 1] = '\0';
    }
    return 1;
}

static const UiKey form_keys[] = {
    { "Up / Down, Tab / Shift-Tab", "move between fields (j / k too, outside text fields)" },
    { "Left / Right, h / l, Space", "change the strategy" },
    { "0-9, Backspace", "edit a number; Ctrl-U clears the field" },
    { "Enter", "start the search in the background" },
    { "Esc", "cancel (q too, outside text fields)" },
    { NULL, NULL },
};

static const UiKey *form_keylist(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return form_keys;
}

static const char *form_hint(Screen *s, App *a)
{
    (void)s;
    (void)a;
    return "Tab/arrows move  Left/Right strategy  Enter start  Esc cancel";
}

static void form_free(Screen *s)
{
    free(s);
}

static const ScreenOps form_ops = {
    "New search", form_draw, form_key, NULL, form_keylist, form_hint, form_free,
};

Screen *scr_form_new(App *a)
{
    (void)a;
    FormScreen *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->base.ops = &form_ops;
    form_defaults(f);
    return &f->base;
}
