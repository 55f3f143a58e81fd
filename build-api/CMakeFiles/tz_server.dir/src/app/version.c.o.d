CMakeFiles/tz_server.dir/src/app/version.c.o: \
 /work/main/src/app/version.c /usr/include/stdc-predef.h \
 /work/main/include/tz/app.h
