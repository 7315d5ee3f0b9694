$p0s0 << EOD
4 1.906
16 5.403
64 6.278
255 21.563
EOD
$p0s1 << EOD
4 2.518
16 5.681
64 17.942
255 66.699
EOD
$p0s2 << EOD
4 32.972
16 160.122
64 654.958
255 2640.57
EOD
$p0s3 << EOD
4 2.335
15 2.417
EOD
$p0s4 << EOD
4 3.791
15 17.74
EOD
$p0s5 << EOD
4 2.336
15 2.416
EOD
$p0s6 << EOD
1 4.635
16 1122.88
64 14700.9
EOD
$p1s0 << EOD
1 47.599
4 51.166
16 46.797
64 66.077
255 120.58
EOD
$p1s1 << EOD
1 47.576
4 49.558
16 55.111
64 74.983
255 154.469
EOD
$p1s2 << EOD
1 47.864
4 71.452
16 212.683
64 702.511
255 2741.45
EOD
$p1s3 << EOD
1 940.25
4 958.469
15 1018.04
EOD
$p1s4 << EOD
1 938.489
4 958.159
15 1030.5
EOD
$p1s5 << EOD
1 206.738
4 223.417
15 277.769
EOD
$p1s6 << EOD
1 1112.79
16 2424.43
64 15551.8
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
plot $p0s0 using 1:2 with linespoints lw 2 pt 5 title 'vmxroot parallel, QEMU', $p0s1 using 1:2 with linespoints lw 2 pt 6 title 'vmxroot serial, QEMU', $p0s2 using 1:2 with linespoints lw 2 pt 7 title 'vmxroot classic, QEMU', $p0s3 using 1:2 with linespoints lw 2 pt 8 title 'vmxroot parallel, Bochs (emulated time)', $p0s4 using 1:2 with linespoints lw 2 pt 9 title 'vmxroot serial, Bochs (emulated time)', $p0s5 using 1:2 with linespoints lw 2 pt 10 title 'vmxroot com1, Bochs (emulated time)', $p0s6 using 1:2 with linespoints lw 2 pt 11 title 'Xen AP loop, QEMU'
set title 'kernel boot (vmxroot: entry to ready; Xen: first line to all CPUs up)'
set ylabel 'ms'
plot $p1s0 using 1:2 with linespoints lw 2 pt 5 title 'vmxroot parallel, QEMU', $p1s1 using 1:2 with linespoints lw 2 pt 6 title 'vmxroot serial, QEMU', $p1s2 using 1:2 with linespoints lw 2 pt 7 title 'vmxroot classic, QEMU', $p1s3 using 1:2 with linespoints lw 2 pt 8 title 'vmxroot parallel, Bochs (emulated time)', $p1s4 using 1:2 with linespoints lw 2 pt 9 title 'vmxroot serial, Bochs (emulated time)', $p1s5 using 1:2 with linespoints lw 2 pt 10 title 'vmxroot com1, Bochs (emulated time)', $p1s6 using 1:2 with linespoints lw 2 pt 11 title 'Xen first line to all CPUs up, QEMU'
unset multiplot
