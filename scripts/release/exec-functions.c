/*
 * exec-functions.so: records which functions of the main program a process runs.
 *
 * Preloaded (LD_PRELOAD) into a process with $EXEC_FUNCTIONS_IN and $EXEC_FUNCTIONS_OUT set. The
 * input file lists the program's functions, one "<hex virtual address> <name>" a line. Before the
 * program's own code starts, the first byte of each function becomes a breakpoint (int3); the first
 * call of a function traps, is noted, gets its byte back and goes on. At exit the names of the
 * functions that ran are appended to the output file. Set SWIFT_BACKTRACE=enable=no so that Swift's
 * crash handler stays out of the way. scripts/release/make-order-file.sh uses it.
 */
#define _GNU_SOURCE
#include <link.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

struct function { uintptr_t address; char *name; unsigned char byte; volatile unsigned char ran; };

static struct function *functions;
static size_t count;
static uintptr_t bias, low, high;

static int by_address(const void *a, const void *b) {
    uintptr_t x = ((const struct function *)a)->address, y = ((const struct function *)b)->address;
    return x < y ? -1 : x > y;
}

static struct function *lookup(uintptr_t address) {
    size_t from = 0, to = count;
    while (from < to) {
        size_t middle = from + (to - from) / 2;
        if (functions[middle].address < address) from = middle + 1; else to = middle;
    }
    return from < count && functions[from].address == address ? &functions[from] : NULL;
}

static void on_trap(int sig, siginfo_t *info, void *context) {
    (void)info;
    ucontext_t *uc = context;
    uintptr_t address = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP] - 1;
    struct function *f = lookup(address - bias);
    if (!f) { signal(sig, SIG_DFL); raise(sig); return; }
    /* Every alias at this address ran: they are neighbours in the sorted table. */
    for (struct function *g = f; g < functions + count && g->address == f->address; g++) g->ran = 1;
    *(volatile unsigned char *)address = f->byte;
    __builtin___clear_cache((char *)address, (char *)address + 1);
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)address;
}

static void write_names(void) {
    FILE *out = fopen(getenv("EXEC_FUNCTIONS_OUT"), "a");
    if (!out) return;
    for (size_t i = 0; i < count; i++)
        if (functions[i].ran) fprintf(out, "%s\n", functions[i].name);
    fclose(out);
}

static int find_code(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size; (void)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type == PT_LOAD && (segment->p_flags & PF_X)) {
            bias = info->dlpi_addr;
            low = (bias + segment->p_vaddr) & ~(uintptr_t)4095;
            high = (bias + segment->p_vaddr + segment->p_memsz + 4095) & ~(uintptr_t)4095;
        }
    }
    return 1;
}

__attribute__((constructor)) static void start(void) {
    const char *input = getenv("EXEC_FUNCTIONS_IN");
    if (!input || !getenv("EXEC_FUNCTIONS_OUT")) return;
    FILE *list = fopen(input, "r");
    if (!list) return;
    size_t capacity = 1 << 16;
    functions = malloc(capacity * sizeof *functions);
    char *line = NULL;
    size_t length = 0;
    while (getline(&line, &length, list) > 0) {
        char *name = strchr(line, ' ');
        if (!name) continue;
        *name++ = 0;
        name[strcspn(name, "\n")] = 0;
        if (count == capacity) functions = realloc(functions, (capacity *= 2) * sizeof *functions);
        functions[count++] = (struct function){ .address = strtoull(line, NULL, 16), .name = strdup(name) };
    }
    free(line);
    fclose(list);
    qsort(functions, count, sizeof *functions, by_address);
    dl_iterate_phdr(find_code, NULL);
    if (!low) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_trap;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGTRAP, &action, NULL);
    mprotect((void *)low, high - low, PROT_READ | PROT_WRITE | PROT_EXEC);
    for (size_t i = 0; i < count; i++) {
        unsigned char *code = (unsigned char *)(bias + functions[i].address);
        if (i > 0 && functions[i].address == functions[i - 1].address) { functions[i].byte = functions[i - 1].byte; continue; }
        if ((uintptr_t)code < low || (uintptr_t)code >= high) continue;
        functions[i].byte = *code;
        *code = 0xCC;
    }
    atexit(write_names);
}
