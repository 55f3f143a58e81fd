/*
 * test_arena.c - the arena allocator (include/tz/arena.h): blocks grow past
 * their first size, alignment holds for any type, and an array grown by
 * tz_arena_grow keeps its elements in order with the new half zeroed.
 */
#include "tz/arena.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* An array pushed one element at a time, as the store's readers do, from a capacity of 1. */
static void test_grow_keeps_order(void **state)
{
    (void)state;
    struct tz_arena a;
    tz_arena_init(&a);
    size_t n = 0, cap = 1;
    int64_t *v = tz_arena_alloc(&a, cap * sizeof(*v));
    for (int64_t i = 0; i < 100000; i++) {
        if (n == cap) {
            size_t before = cap;
            v = tz_arena_grow(&a, v, &cap, sizeof(*v));
            assert_int_equal(cap, 2 * before);
            for (size_t k = before; k < cap; k++)
                assert_int_equal(v[k], 0); /* the new half is zeroed */
        }
        v[n++] = i * 7;
    }
    assert_int_equal(cap, 131072);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(v[i], (int64_t)i * 7);
    tz_arena_release(&a);
}

struct wide {
    char name[40];
    double value;
};

/* Elements wider than a word, and alignment of what the arena hands out. */
static void test_grow_wide_elements(void **state)
{
    (void)state;
    struct tz_arena a;
    tz_arena_init(&a);
    size_t n = 0, cap = 3;
    struct wide *v = tz_arena_calloc(&a, cap * sizeof(*v));
    for (int i = 0; i < 50; i++) {
        if (n == cap)
            v = tz_arena_grow(&a, v, &cap, sizeof(*v));
        assert_int_equal((uintptr_t)v % _Alignof(max_align_t), 0);
        snprintf(v[n].name, sizeof(v[n].name), "单位%d", i);
        v[n++].value = i / 4.0;
    }
    assert_int_equal(cap, 96);
    for (int i = 0; i < 50; i++) {
        char want[40];
        snprintf(want, sizeof(want), "单位%d", i);
        assert_string_equal(v[i].name, want);
        assert_true(v[i].value == i / 4.0);
    }
    tz_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_keeps_order),
        cmocka_unit_test(test_grow_wide_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
