CMakeFiles/tz_util.dir/embedded.c.o: /work/main/build-loop/embedded.c \
 /usr/include/stdc-predef.h /work/main/include/tz/embed.h \
 /usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h
