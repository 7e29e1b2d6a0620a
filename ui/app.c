/* app.c - screen stack, input loop, prompts, hint bar (see app.h). */
#include "config.h"

#include <curses.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/proc.h"
#include "app.h"
#include "screens.h"
#include "spawn.h"
#include "theme.h"

#define POLL_MS 250 /* how often the top screen polls the database */

void app_push(App *a, Screen *s)
{
    if (!s) {
        app_message(a, 1, "out of memory");
        return;
    }
    if (a->depth == APP_MAX_SCREENS) {
        s->ops->free(s);
        app_message(a, 1, "too many screens open; press q to go back");
        return;
    }
    a->stack[a->depth++] = s;
    a->dirty = 1;
}

void app_pop(App *a)
{
    if (a->depth == 0)
        return;
    Screen *s = a->stack[--a->depth];
    if (a->prompt && a->prompt_owner == s)
        a->prompt = 0;
    s->ops->free(s);
    a->dirty = 1;
    ui_data_touch(a->data);
    if (a->depth == 0)
        a->quit = 1;
}

void app_quit(App *a)
{
    a->quit = 1;
}

void app_started_search(App *a, const char *name, int pid, const char *log)
{
    snprintf(a->started_name, sizeof a->started_name, "%s", name);
    snprintf(a->started_log, sizeof a->started_log, "%s", log);
    a->started_pid = pid;
    a->started_pending = 1;
    app_message(a, 0, "started search %s (pid %d); its output goes to %s",
                name, pid, log);
}

Screen *app_top(App *a)
{
    return a->depth ? a->stack[a->depth - 1] : NULL;
}

/* A message gives the hint bar back after this long (or at the next key),
 * so the keys of the screen do not stay hidden behind it. */
#define APP_MESSAGE_MS 8000

void app_message(App *a, int bad, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->status, sizeof a->status, fmt, ap);
    va_end(ap);
    a->status_bad = bad;
    a->status_ms = (long)(clock_now_s() * 1000.0);
    a->dirty = 1;
}

void app_prompt(App *a, Screen *owner, const char *label, const char *initial,
                PromptFn fn)
{
    a->prompt = 1;
    snprintf(a->prompt_label, sizeof a->prompt_label, "%s", label);
    snprintf(a->prompt_buf, sizeof a->prompt_buf, "%s", initial ? initial : "");
    a->prompt_len = strlen(a->prompt_buf);
    a->prompt_fn = fn;
    a->prompt_live = NULL;
    a->prompt_owner = owner;
    a->dirty = 1;
}

void app_prompt_live(App *a, Screen *owner, const char *label,
                     const char *initial, PromptFn fn, PromptFn live)
{
    app_prompt(a, owner, label, initial, fn);
    a->prompt_live = live;
}

void app_confirm(App *a, Screen *owner, const char *question, PromptFn fn)
{
    app_prompt(a, owner, question, NULL, fn);
    a->prompt = 2;
}

/* The prompt owns the keyboard (invariant 5). */
static void prompt_key(App *a, int key)
{
    PromptFn fn = a->prompt_fn;
    Screen *owner = a->prompt_owner;
    a->dirty = 1;
    if (a->prompt == 2) {
        a->prompt = 0;
        fn(a, owner, (key == 'y' || key == 'Y') ? "y" : NULL);
        return;
    }
    if (key == UI_KEY_ESC) {
        a->prompt = 0;
        fn(a, owner, NULL);
        return;
    }
    if (key == '\n' || key == '\r' || key == KEY_ENTER) {
        a->prompt = 0;
        char text[sizeof a->prompt_buf];
        memcpy(text, a->prompt_buf, sizeof text);
        fn(a, owner, text);
        return;
    }
    if (key == KEY_BACKSPACE || key == 127 || key == 8) {
        /* Remove one whole UTF-8 sequence. */
        while (a->prompt_len > 0) {
            unsigned char c = (unsigned char)a->prompt_buf[--a->prompt_len];
            if ((c & 0xc0) != 0x80)
                break;
        }
        a->prompt_buf[a->prompt_len] = '\0';
    } else if (key == 21) { /* Ctrl-U clears the line, as in a shell */
        a->prompt_len = 0;
        a->prompt_buf[0] = '\0';
    } else if (key >= 0x20 && key < 0x100 && key != 0x7f &&
               a->prompt_len + 1 < sizeof a->prompt_buf) {
        a->prompt_buf[a->prompt_len++] = (char)key;
        a->prompt_buf[a->prompt_len] = '\0';
    } else {
        return;
    }
    if (a->prompt_live)
        a->prompt_live(a, owner, a->prompt_buf);
}

static void draw_bar(App *a, UiGrid *g, int y, int w)
{
    for (int x = 0; x < w; x++)
        ui_grid_put(g, x, y, ' ', UI_ROLE_SELECT);
    if (a->prompt) {
        char line[1100];
        snprintf(line, sizeof line, "%s%s%s", a->prompt_label,
                 a->prompt == 1 ? " " : " (y/n) ",
                 a->prompt == 1 ? a->prompt_buf : "");
        int n = ui_grid_text(g, 0, y, line, UI_ROLE_SELECT);
        if (a->prompt == 1)
            ui_grid_put(g, n < w ? n : w - 1, y, '_', UI_ROLE_SELECT);
        return;
    }
    if (a->status[0]) {
        ui_grid_text(g, 0, y, a->status, a->status_bad ? UI_ROLE_BAD : UI_ROLE_SELECT);
        return;
    }
    Screen *s = app_top(a);
    const char *hint = s && s->ops->hint ? s->ops->hint(s, a) : "";
    char line[512];
    snprintf(line, sizeof line, "%s%s? help", hint, hint[0] ? "  " : "");
    ui_grid_text(g, 0, y, line, UI_ROLE_SELECT);
}

/* Invariant 3: the terminal is too small; say how big it must be, wrapped
 * to whatever width there is. */
static void draw_too_small(UiGrid *g, int w, int h)
{
    char msg[200];
    snprintf(msg, sizeof msg,
             "Terminal too small: %dx%d. nasview needs at least %dx%d. "
             "Enlarge the window, or press q to quit.",
             w, h, APP_MIN_W, APP_MIN_H);
    int x = 0, y = 0;
    const char *p = msg;
    while (*p && y < h) {
        const char *sp = strchr(p, ' ');
        int len = sp ? (int)(sp - p) : (int)strlen(p);
        if (x > 0 && x + len > w) {
            x = 0;
            y++;
            if (y >= h)
                break;
        }
        for (int i = 0; i < len; i++) {
            if (x >= w) {
                x = 0;
                y++;
            }
            ui_grid_put(g, x++, y, (unsigned char)p[i], UI_ROLE_WARN);
        }
        p += len;
        if (*p == ' ') {
            p++;
            x++;
        }
    }
}

static void draw_all(App *a, UiGrid **gp)
{
    int w = COLS > 0 ? COLS : 1, h = LINES > 0 ? LINES : 1;
    UiGrid *g = *gp;
    if (!g || g->width != w || g->height != h) {
        ui_grid_free(g);
        g = *gp = ui_grid_new(w, h);
        if (!g)
            return;
    } else {
        for (int i = 0; i < w * h; i++)
            g->cells[i] = (UiGridCell){ ' ', UI_ROLE_NORMAL };
    }
    if (w < APP_MIN_W || h < APP_MIN_H) {
        draw_too_small(g, w, h);
    } else {
        Screen *s = app_top(a);
        if (s)
            s->ops->draw(s, a, g, 0, 0, w, h - 1);
        draw_bar(a, g, h - 1, w);
    }
    theme_paint(g, a->cfg.utf8, a->colored);
}

static void quit_answer(App *a, Screen *owner, const char *text)
{
    (void)owner;
    if (text)
        app_quit(a);
}

static void handle_key(App *a, int key)
{
    int w = COLS, h = LINES;
    a->dirty = 1;
    if (key == KEY_RESIZE)
        return;
    if (key == 12) { /* Ctrl-L: repaint everything from scratch */
        clearok(curscr, TRUE);
        return;
    }
    if (a->prompt) {
        prompt_key(a, key);
        return;
    }
    a->status[0] = '\0';
    if (w < APP_MIN_W || h < APP_MIN_H) {
        if (key == 'q')
            app_quit(a);
        return;
    }
    Screen *s = app_top(a);
    if (!s)
        return;
    if (key == '?' && strcmp(s->ops->name, "Help") != 0) {
        app_push(a, scr_help_new(a, s));
        return;
    }
    if (s->ops->key(s, a, key))
        return;
    if (key == 'q' || key == UI_KEY_ESC) {
        if (a->depth == 1 && proc_alive(a->started_pid)) {
            char q[400];
            snprintf(q, sizeof q, "Search %s keeps running in the background "
                     "(pid %d); quit nasview?", a->started_name, a->started_pid);
            app_confirm(a, s, q, quit_answer);
            return;
        }
        app_pop(a);
    }
}

/* The signals that end the process without a way back: the terminal is
 * restored before the default action runs (as htop does), so a crash
 * does not leave the shell raw and without echo. */
static const int crash_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE };

static void on_crash(int sig)
{
    static const char msg[] = "\nnasview: crashed; the terminal was restored. "
                              "The database is consistent: what was "
                              "committed is kept.\n";
    endwin();
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing more can be done */
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void crash_handlers(int install)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = install ? on_crash : SIG_DFL;
    sa.sa_flags = install ? SA_RESETHAND | SA_NODEFER : 0;
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
        sigaction(crash_signals[i], &sa, NULL);
}

/* can_address - whether the terminal can move the cursor (TERM=dumb and
 * printing terminals cannot: the screen would stay empty). */
static int can_address(void)
{
    const char *cup = tigetstr("cup");
    return cup && cup != (const char *)-1;
}

int app_run(const AppConfig *cfg, UiData *data, NvError *err)
{
    App a;
    memset(&a, 0, sizeof a);
    a.cfg = *cfg;
    a.data = data;

    if (!newterm(NULL, stdout, stdin)) {
        ui_data_close(data);
        nv_error_set(err, NV_ERR_RUNTIME,
                     "cannot use the terminal '%s'; set TERM to a terminal "
                     "type this system knows (e.g. xterm-256color)",
                     getenv("TERM") ? getenv("TERM") : "(unset)");
        return 1;
    }
    if (!can_address()) {
        endwin();
        ui_data_close(data);
        nv_error_set(err, NV_ERR_RUNTIME,
                     "the terminal type '%s' cannot move the cursor, which "
                     "the interface needs; set TERM to your terminal's type "
                     "(e.g. xterm-256color), or use the commands "
                     "(nasview --help)",
                     getenv("TERM") ? getenv("TERM") : "(unset)");
        return 1;
    }
    crash_handlers(1);
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    timeout(APP_TICK_MS);
    a.colored = theme_init(cfg->no_color);

    app_push(&a, scr_searches_new(&a));
    UiGrid *grid = NULL;
    long last_poll = -POLL_MS;
    a.dirty = 1;
    while (!a.quit && !*cfg->stop) {
        long now = (long)(clock_now_s() * 1000.0);
        if (now - last_poll >= POLL_MS) {
            last_poll = now;
            Screen *s = app_top(&a);
            if (s && s->ops->tick && s->ops->tick(s, &a))
                a.dirty = 1;
            if (a.status[0] && !a.prompt && now - a.status_ms >= APP_MESSAGE_MS) {
                a.status[0] = '\0';
                a.dirty = 1;
            }
        }
        if (a.dirty) {
            a.dirty = 0;
            draw_all(&a, &grid);
            refresh();
        }
        int key = getch();
        if (key == ERR)
            continue;
        handle_key(&a, key);
    }
    while (a.depth)
        app_pop(&a);
    ui_grid_free(grid);
    endwin();
    crash_handlers(0);
    ui_data_close(a.data);
    return 0;
}
