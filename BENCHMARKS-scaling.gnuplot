$p0s0 << EOD
4 2.3465
16 337.994
64 159.283
255 6146.02
EOD
$p0s1 << EOD
4 263.714
16 91.743
64 117.387
255 4364.59
EOD
$p0s2 << EOD
4 72.0785
16 236.219
64 1427.26
255 5378.3
EOD
$p0s3 << EOD
4 0.243
15 0.978
EOD
$p0s4 << EOD
4 0.753
15 4.282
EOD
$p0s5 << EOD
1 15.161
16 12560.4
64 192116
EOD
$p1s0 << EOD
1 51.563
4 64.511
16 375.191
64 292.019
255 6446.84
EOD
$p1s1 << EOD
1 66.8515
4 350.93
16 195.457
64 245.237
255 4624.73
EOD
$p1s2 << EOD
1 60.8665
4 151.295
16 298.047
64 1585.76
255 5674.69
EOD
$p1s3 << EOD
1 195.573
4 220.448
15 326.995
EOD
$p1s4 << EOD
1 195.135
4 220.493
15 329.792
EOD
$p1s5 << EOD
1 2420.67
16 15392
64 194934
EOD
set terminal svg size 1100,520 dynamic enhanced font 'sans,11' background rgb 'white'
set output 'BENCHMARKS-scaling.svg'
set logscale xy
set grid
set key below
set xlabel 'CPUs'
set xtics (1, 4, 16, 64, 255)
set xrange [0.8:320]
set multiplot layout 1,2 title 'vmxroot and Xen 4.17: time against CPUs'
set title 'bring-up (first INIT to last AP online; Xen: its AP loop)'
set ylabel 'ms'
plot $p0s0 using 1:2 with linespoints lw 2 pt 5 title 'vmxroot parallel, QEMU', $p0s1 using 1:2 with linespoints lw 2 pt 6 title 'vmxroot serial, QEMU', $p0s2 using 1:2 with linespoints lw 2 pt 7 title 'vmxroot classic, QEMU', $p0s3 using 1:2 with linespoints lw 2 pt 8 title 'vmxroot parallel, Bochs (emulated time)', $p0s4 using 1:2 with linespoints lw 2 pt 9 title 'vmxroot serial, Bochs (emulated time)', $p0s5 using 1:2 with linespoints lw 2 pt 10 title 'Xen AP loop, QEMU'
set title 'kernel boot (vmxroot: entry to ready; Xen: first line to all CPUs up)'
set ylabel 'ms'
plot $p1s0 using 1:2 with linespoints lw 2 pt 5 title 'vmxroot parallel, QEMU', $p1s1 using 1:2 with linespoints lw 2 pt 6 title 'vmxroot serial, QEMU', $p1s2 using 1:2 with linespoints lw 2 pt 7 title 'vmxroot classic, QEMU', $p1s3 using 1:2 with linespoints lw 2 pt 8 title 'vmxroot parallel, Bochs (emulated time)', $p1s4 using 1:2 with linespoints lw 2 pt 9 title 'vmxroot serial, Bochs (emulated time)', $p1s5 using 1:2 with linespoints lw 2 pt 10 title 'Xen first line to all CPUs up, QEMU'
unset multiplot
