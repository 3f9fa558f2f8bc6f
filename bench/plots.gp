# plots.gp: cascade and start-up time against the number of listeners, from bench/report's .dat files in dir.
# Columns of a .dat row: N, then median, min and max of each server in turn.
set terminal pngcairo size 900,560 font "DejaVu Sans,11"
set logscale xy 2
set xrange [0.8:320]
set xtics (1, 4, 16, 64, 256)
set grid xtics ytics mytics
set key top left box opaque
set xlabel "N listeners (nginx: N workers on N ports)"
set datafile missing "NaN"

set output dir."/cascade.png"
set title "Cascade: signal until every process of the group has exited (median, min–max)"
set ylabel "ms"
plot dir."/cascade.dat" using 1:2:3:4 with yerrorlines lw 2 pt 7 title "forkgroup: SIGKILL one child", \
     ''                 using 1:5:6:7 with yerrorlines lw 2 pt 5 title "forkgroup: SIGTERM parent", \
     ''                 using 1:8:9:10 with yerrorlines lw 2 pt 9 title "nginx: SIGTERM master", \
     ''                 using 1:11:12:13 with yerrorlines lw 1 dt 2 pt 13 title "Go peer: SIGTERM (1 process)", \
     ''                 using 1:14:15:16 with yerrorlines lw 1 dt 3 lc rgb "gray40" pt 1 title "floor: bare fork/kill, SIGKILL one child"

set output dir."/startup.png"
set title "Start-up: exec until every port answers GET /ping (median, min–max)"
plot dir."/startup.dat" using 1:2:3:4 with yerrorlines lw 2 pt 7 title "forkgroup", \
     ''                 using 1:5:6:7 with yerrorlines lw 2 pt 9 title "nginx", \
     ''                 using 1:8:9:10 with yerrorlines lw 1 dt 2 pt 13 title "Go peer (1 process)", \
     ''                 using 1:11:12:13 with yerrorlines lw 1 dt 3 lc rgb "gray40" pt 1 title "floor: bare fork + blocking accept"
