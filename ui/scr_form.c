/* scr_form.c - the form that starts a new search: strategy, preset,
 * budget, seed, dataset, the proxy task (N, F, epochs, batch, train and
 * validation sizes, threads), workers, the strategy's own settings (the
 * controller's learning rate; evolution's population and tournament) and
 * a name.  Enter starts this program's own `nasview search` (every field
 * is one of its options) detached (spawn.c) with its output in a log file
 * next to the database; the search then appears in the database.
 *
 * Invariants:
 *  1. No range is written here: the proxy fields take theirs from
 *     proxy_setting(), the strategy fields are checked by
 *     strategy_config_set / strategy_config_validate themselves, so the
 *     form accepts exactly what `nasview search` accepts.
 *  2. Only the fields of the chosen strategy are shown and passed on; the
 *     preset fills the strategy fields from the settings table's default
 *     or paper column (and is passed as --preset to an rl search).
 *  3. Until the user edits the name, it is the one `nasview search` would
 *     choose (STRATEGY[-ws]-SEED, then -2, -3, ... while taken). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "search/evaluator.h"
#include "search/strategy.h"
#include "train/proxy.h"

#include "screens.h"
#include "spawn.h"

typedef enum { FIELD_CHOICE, FIELD_INT, FIELD_REAL, FIELD_TEXT } FieldKind;

enum {
    F_STRATEGY, F_PRESET, F_BUDGET, F_SEED, F_DATASET, F_N, F_F, F_EPOCHS,
    F_BATCH, F_TRAIN, F_VAL, F_THREADS, F_WORKERS, F_LR, F_POPULATION,
    F_TOURNAMENT, F_NAME, NFIELDS
};

typedef struct {
    const char *label;
    const char *flag;      /* the `nasview search` option, or NULL */
    const char *param;     /* a strategy setting (--set NAME=VALUE), or NULL */
    int proxy;             /* a ProxyId, or -1 */
    FieldKind kind;
    const char *applies;   /* NULL: every strategy; else "rl", "evolution"
                              or "rl evolution" (strategy kind names) */
    long lo, hi;           /* FIELD_INT bounds of budget, seed, workers */
    const char *help;      /* NULL: the settings table's */
} FieldSpec;

static const FieldSpec fields[NFIELDS] = {
    [F_STRATEGY] = { "Strategy", "--strategy", NULL, -1, FIELD_CHOICE, NULL,
                     0, 0, "rl: LSTM controller (PPO); random: uniform; "
                     "evolution: aging evolution; +ws: with weight sharing" },
    [F_PRESET] = { "Preset", NULL, "preset", -1, FIELD_CHOICE, "rl evolution",
                   0, 0, "fills the strategy's settings: nasview's defaults "
                   "or the paper's values" },
    [F_BUDGET] = { "Budget", "--budget", NULL, -1, FIELD_INT, NULL, 1, 100000,
                   "children to train" },
    [F_SEED] = { "Seed", "--seed", NULL, -1, FIELD_INT, NULL, 0, 2147483647,
                 "all randomness comes from it" },
    [F_DATASET] = { "Dataset", "--dataset", NULL, -1, FIELD_TEXT, NULL, 0, 0,
                    "fashion-mnist, cifar10:DIR or a directory of IDX files" },
    [F_N] = { "N (cells/stack)", "--N", NULL, PROXY_N, FIELD_INT, NULL, 0, 0, NULL },
    [F_F] = { "F (filters)", "--F", NULL, PROXY_F, FIELD_INT, NULL, 0, 0, NULL },
    [F_EPOCHS] = { "Epochs", "--epochs", NULL, PROXY_EPOCHS, FIELD_INT, NULL,
                   0, 0, NULL },
    [F_BATCH] = { "Batch", "--batch", NULL, PROXY_BATCH, FIELD_INT, NULL, 0, 0,
                  NULL },
    [F_TRAIN] = { "Train size", "--train-size", NULL, PROXY_TRAIN_SIZE,
                  FIELD_INT, NULL, 0, 0, NULL },
    [F_VAL] = { "Validation size", "--val-size", NULL, PROXY_VAL_SIZE,
                FIELD_INT, NULL, 0, 0, NULL },
    [F_THREADS] = { "Threads", "--threads", NULL, PROXY_THREADS, FIELD_INT,
                    NULL, 0, 0, "per child (above 1 needs Workers 1)" },
    [F_WORKERS] = { "Workers", "--workers", NULL, -1, FIELD_INT, NULL, 1,
                    EVAL_MAX_WORKERS, "children trained at once, one thread each" },
    [F_LR] = { "Controller lr", NULL, "lr", -1, FIELD_REAL, "rl", 0, 0, NULL },
    [F_POPULATION] = { "Population", NULL, "population", -1, FIELD_INT,
                       "evolution", 0, 0, NULL },
    [F_TOURNAMENT] = { "Tournament", NULL, "tournament", -1, FIELD_INT,
                       "evolution", 0, 0, NULL },
    [F_NAME] = { "Name", "--name", NULL, -1, FIELD_TEXT, NULL, 0, 0,
                 "to find the search again (default as nasview search's)" },
};

/* "+ws": the strategy with --weight-sharing (ENAS; rl and random only). */
static const char *const strategies[] = { "random", "rl", "evolution",
                                          "rl+ws", "random+ws" };
static const char *const presets[] = { "default", "paper" };

typedef struct {
    Screen base;
    char value[NFIELDS][256];
    int focus;
    int name_edited;       /* invariant 3 */
} FormScreen;

/* kind_of - the strategy kind's name of the strategy field ("rl+ws": rl). */
static void kind_of(const FormScreen *f, char *buf, size_t n)
{
    const char *v = f->value[F_STRATEGY], *ws = strstr(v, "+ws");
    snprintf(buf, n, "%.*s", ws ? (int)(ws - v) : (int)strlen(v), v);
}

/* shown - whether field i belongs to the chosen strategy (invariant 2). */
static int shown(const FormScreen *f, int i)
{
    if (!fields[i].applies)
        return 1;
    char kind[32];
    kind_of(f, kind, sizeof kind);
    const char *p = fields[i].applies;
    size_t k = strlen(kind);
    while ((p = strstr(p, kind)) != NULL) {
        if ((p == fields[i].applies || p[-1] == ' ') && (p[k] == ' ' || !p[k]))
            return 1;
        p += k;
    }
    return 0;
}

static const StrategyParam *param_of(const char *name)
{
    int n = 0;
    const StrategyParam *t = strategy_params(&n);
    for (int i = 0; name && i < n; i++)
        if (!strcmp(t[i].name, name))
            return &t[i];
    return NULL;
}

/* help_of - one line of help for field i, from the tables where it can. */
static void help_of(int i, char *buf, size_t n)
{
    const FieldSpec *fs = &fields[i];
    const StrategyParam *p = param_of(fs->param);
    if (fs->proxy >= 0) {
        const ProxySetting *ps = proxy_setting((ProxyId)fs->proxy);
        snprintf(buf, n, "%.0f .. %.0f: %s", ps->lo, ps->hi,
                 fs->help ? fs->help : ps->help);
    } else if (p && i != F_PRESET) {
        snprintf(buf, n, "%s: %s", p->range, p->help);
    } else {
        snprintf(buf, n, "%s", fs->help ? fs->help : "");
    }
}

static void move_focus(FormScreen *f, int dir)
{
    for (int k = 0; k < NFIELDS; k++) {
        f->focus = (f->focus + dir + NFIELDS) % NFIELDS;
        if (shown(f, f->focus))
            return;
    }
}

/* auto_name - invariant 3: the name `nasview search` would give. */
static void auto_name(FormScreen *f, App *a)
{
    if (f->name_edited)
        return;
    char kind[32];
    kind_of(f, kind, sizeof kind);
    const char *ws = strstr(f->value[F_STRATEGY], "+ws") ? "-ws" : "";
    Store *st = ui_data_store(a->data);
    for (int k = 1; k < 10000; k++) {
        if (k == 1)
            snprintf(f->value[F_NAME], sizeof f->value[F_NAME], "%s%s-%.20s",
                     kind, ws, f->value[F_SEED]);
        else
            snprintf(f->value[F_NAME], sizeof f->value[F_NAME], "%s%s-%.20s-%d",
                     kind, ws, f->value[F_SEED], k);
        StoreSearch tmp;
        NvError err;
        if (!st || store_search_find(st, f->value[F_NAME], &tmp, &err) != NV_OK)
            return;
    }
}

/* apply_preset - fill the strategy fields from the table's column. */
static void apply_preset(FormScreen *f)
{
    int paper = !strcmp(f->value[F_PRESET], "paper");
    for (int i = 0; i < NFIELDS; i++) {
        const StrategyParam *p = param_of(fields[i].param);
        if (!p || i == F_PRESET)
            continue;
        const char *v = paper && strcmp(p->paper, "-") ? p->paper : p->def;
        snprintf(f->value[i], sizeof f->value[i], "%s", v);
    }
}

/* warning - what `nasview search` will warn about these settings, or
 * NULL (the same condition as its own warning). */
static const char *warning(const FormScreen *f, char *buf, size_t n)
{
    char kind[32];
    kind_of(f, kind, sizeof kind);
    long budget = strtol(f->value[F_BUDGET], NULL, 10);
    long pop = strtol(f->value[F_POPULATION], NULL, 10);
    if (!strcmp(kind, "evolution") && budget > 0 && budget <= pop) {
        snprintf(buf, n, "warning: a budget of %ld is within evolution's %ld "
                 "random founders, so nothing evolves", budget, pop);
        return buf;
    }
    return NULL;
}

static void form_draw(Screen *s, App *a, UiGrid *g, int x, int y, int w, int h)
{
    FormScreen *f = (FormScreen *)s;
    (void)a;
    ui_grid_text(g, x, y, "New search", UI_ROLE_TITLE);
    /* Where the fields do not all fit (16 of evolution's at 70x20), they
     * scroll so that the focused one stays in view. */
    int rows = h - 4, nshown = 0, fpos = 0;
    for (int i = 0; i < NFIELDS; i++)
        if (shown(f, i)) {
            if (i == f->focus)
                fpos = nshown;
            nshown++;
        }
    int skip = nshown > rows && fpos >= rows ? fpos - rows + 1 : 0;
    int r = y + 2;
    for (int i = 0; i < NFIELDS && r < y + h - 2; i++) {
        if (!shown(f, i) || skip-- > 0)
            continue;
        int sel = i == f->focus;
        ui_grid_text(g, x + 2, r, fields[i].label, sel ? UI_ROLE_TITLE : UI_ROLE_NORMAL);
        char v[300];
        if (fields[i].kind == FIELD_CHOICE)
            snprintf(v, sizeof v, "< %s >", f->value[i]);
        else
            snprintf(v, sizeof v, "%s%s", f->value[i], sel ? "_" : "");
        for (int c = 0; c < 32; c++)
            ui_grid_put(g, x + 20 + c, r, ' ', sel ? UI_ROLE_SELECT : UI_ROLE_DIM);
        ui_grid_text_clip(g, x + 20, r, x + 52, v, sel ? UI_ROLE_SELECT : UI_ROLE_NORMAL);
        char help[300];
        help_of(i, help, sizeof help);
        if (w > 56)
            ui_grid_text_clip(g, x + 54, r, x + w, help, UI_ROLE_DIM);
        r++;
    }
    char wbuf[300];
    const char *warn = warning(f, wbuf, sizeof wbuf);
    if (warn && r < y + h)
        ui_grid_text_clip(g, x + 2, r, x + w, warn, UI_ROLE_WARN);
    if (r + 1 < y + h)
        ui_grid_text_clip(g, x + 2, r + 1, x + w,
                          "Enter starts the search in the background "
                          "(it keeps running when nasview closes); Esc cancels.",
                          UI_ROLE_DIM);
}

static void fmt_def(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.0f", v);
}

static void form_defaults(FormScreen *f, App *a)
{
    snprintf(f->value[F_STRATEGY], sizeof f->value[0], "random");
    snprintf(f->value[F_PRESET], sizeof f->value[0], "default");
    snprintf(f->value[F_BUDGET], sizeof f->value[0], "20");
    snprintf(f->value[F_SEED], sizeof f->value[0], "1");
    snprintf(f->value[F_DATASET], sizeof f->value[0], "fashion-mnist");
    for (int i = 0; i < NFIELDS; i++)
        if (fields[i].proxy >= 0)
            fmt_def(f->value[i], sizeof f->value[i],
                    proxy_setting((ProxyId)fields[i].proxy)->def);
    apply_preset(f);
    /* As `nasview search` does without --workers: one per online core;
     * then each child trains on one thread. */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long workers = cores < 1 ? 1 : cores > EVAL_MAX_WORKERS ? EVAL_MAX_WORKERS : cores;
    snprintf(f->value[F_WORKERS], sizeof f->value[0], "%ld", workers);
    if (workers > 1)
        snprintf(f->value[F_THREADS], sizeof f->value[0], "1");
    auto_name(f, a);
}

/* Check every field shown; on a problem focus it and say what is wrong. */
static int form_valid(FormScreen *f, App *a)
{
    NvError err;
    char kind[32];
    kind_of(f, kind, sizeof kind);
    StrategyKind sk;
    if (strategy_kind_parse(kind, &sk, &err) != NV_OK) {
        f->focus = F_STRATEGY;
        app_message(a, 1, "%s", err.msg);
        return 0;
    }
    StrategyConfig sc = strategy_config_default(sk, 1);
    for (int i = 0; i < NFIELDS; i++) {
        if (!shown(f, i))
            continue;
        const FieldSpec *fs = &fields[i];
        if (fs->param) {
            /* Invariant 1: the strategy's own table checks it. */
            if (i == F_PRESET && sk != STRATEGY_RL)
                continue;
            if (strategy_config_set(&sc, fs->param, f->value[i], &err) != NV_OK) {
                f->focus = i;
                app_message(a, 1, "%s: %s", fs->label, err.msg);
                return 0;
            }
        } else if (fs->kind == FIELD_INT) {
            long lo = fs->lo, hi = fs->hi;
            if (fs->proxy >= 0) {
                const ProxySetting *ps = proxy_setting((ProxyId)fs->proxy);
                lo = (long)ps->lo;
                hi = (long)ps->hi;
            }
            char *end;
            long v = strtol(f->value[i], &end, 10);
            if (!f->value[i][0] || *end || v < lo || v > hi) {
                f->focus = i;
                app_message(a, 1, "%s must be a whole number from %ld to %ld",
                            fs->label, lo, hi);
                return 0;
            }
        } else if (fs->kind == FIELD_TEXT && !f->value[i][0]) {
            f->focus = i;
            app_message(a, 1, "%s must not be empty", fs->label);
            return 0;
        } else if (i == F_NAME && store_name_check(f->value[i], &err)) {
            f->focus = i;
            app_message(a, 1, "%s: %s", fs->label, err.msg);
            return 0;
        }
    }
    if (strategy_config_validate(&sc, &err) != NV_OK) {
        f->focus = sk == STRATEGY_EVOLUTION ? F_TOURNAMENT : F_STRATEGY;
        app_message(a, 1, "%s", err.msg);
        return 0;
    }
    if (atol(f->value[F_THREADS]) > 1 && atol(f->value[F_WORKERS]) > 1 &&
        !strstr(f->value[F_STRATEGY], "+ws")) {
        f->focus = F_THREADS;
        app_message(a, 1, "Threads above 1 needs Workers 1: each of %s workers "
                    "trains its child with one thread", f->value[F_WORKERS]);
        return 0;
    }
    return 1;
}

static void form_start(FormScreen *f, App *a)
{
    if (!form_valid(f, a))
        return;
    char *argv[6 + 2 * NFIELDS + 1];
    char kind[256], set[NFIELDS][300];
    int n = 0;
    kind_of(f, kind, sizeof kind);
    argv[n++] = (char *)"nasview";
    argv[n++] = (char *)"search";
    argv[n++] = (char *)"--db";
    argv[n++] = (char *)a->cfg.db_path;
    argv[n++] = (char *)"--strategy";
    argv[n++] = kind;
    if (strstr(f->value[F_STRATEGY], "+ws"))
        argv[n++] = (char *)"--weight-sharing";
    /* The preset first: it overwrites the RL settings given after it. */
    if (!strcmp(kind, "rl")) {
        argv[n++] = (char *)"--preset";
        argv[n++] = f->value[F_PRESET];
    }
    for (int i = 0; i < NFIELDS; i++) {
        if (i == F_STRATEGY || i == F_PRESET || !shown(f, i))
            continue;
        if (fields[i].flag) {
            argv[n++] = (char *)fields[i].flag;
            argv[n++] = f->value[i];
        } else {
            snprintf(set[i], sizeof set[i], "%s=%s", fields[i].param, f->value[i]);
            argv[n++] = (char *)"--set";
            argv[n++] = set[i];
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

static void cycle(FormScreen *f, App *a, int dir)
{
    const char *const *list = f->focus == F_PRESET ? presets : strategies;
    int n = f->focus == F_PRESET ? 2 : (int)(sizeof strategies / sizeof strategies[0]);
    int cur = 0;
    char *v = f->value[f->focus];
    for (int i = 0; i < n; i++)
        if (!strcmp(v, list[i]))
            cur = i;
    cur = (cur + dir + n) % n;
    snprintf(v, sizeof f->value[0], "%s", list[cur]);
    if (f->focus == F_PRESET)
        apply_preset(f);
    auto_name(f, a);
}

static int form_key(Screen *s, App *a, int key)
{
    FormScreen *f = (FormScreen *)s;
    const FieldSpec *fs = &fields[f->focus];
    char *v = f->value[f->focus];
    size_t len = strlen(v);
    switch (key) {
    case UI_KEY_DOWN: case '\t':
        move_focus(f, 1);
        return 1;
    case UI_KEY_UP: case UI_KEY_BTAB:
        move_focus(f, -1);
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
            cycle(f, a, -1);
        else if (key == UI_KEY_RIGHT || key == 'l' || key == ' ')
            cycle(f, a, 1);
        else if (key == 'j')
            move_focus(f, 1);
        else if (key == 'k')
            move_focus(f, -1);
        else if (key == 'q')
            app_pop(a);
        return 1;
    }
    int edited = 0;
    if (key == UI_KEY_BACKSPACE || key == 127 || key == 8) {
        if (len)
            v[len - 1] = '\0';
        edited = 1;
    } else if (key == 21) {
        v[0] = '\0';
        edited = 1;
    } else if (fs->kind == FIELD_INT || fs->kind == FIELD_REAL) {
        int digit = key >= '0' && key <= '9';
        int real = fs->kind == FIELD_REAL &&
                   (key == '.' || key == 'e' || key == '-');
        if ((digit || real) && len < 12) {
            v[len] = (char)key;
            v[len + 1] = '\0';
            edited = 1;
        } else if (key == 'j') {
            move_focus(f, 1);
        } else if (key == 'k') {
            move_focus(f, -1);
        } else if (key == 'q') {
            app_pop(a);
            return 1;
        }
    } else if (key >= 0x20 && key < 0x7f && len + 1 < sizeof f->value[0]) {
        v[len] = (char)key;
        v[len + 1] = '\0';
        edited = 1;
    }
    if (edited && f->focus == F_NAME)
        f->name_edited = 1;
    if (edited && f->focus == F_SEED)
        auto_name(f, a);
    return 1;
}

static const UiKey form_keys[] = {
    { "Up / Down, Tab", "move between fields (j / k too, outside text)" },
    { "Shift-Tab", "previous field" },
    { "Left / Right, h / l", "change the strategy or preset" },
    { "Space", "next strategy or preset" },
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
    return "Tab/arrows move  Left/Right choose  Enter start  Esc cancel";
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
    FormScreen *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->base.ops = &form_ops;
    form_defaults(f, a);
    return &f->base;
}
