$p0s0 << EOD
4 13.5735
16 38.78
64 22.663
255 75.749
EOD
$p0s1 << EOD
4 144.548
16 32.991
64 38.109
255 1435.06
EOD
$p0s2 << EOD
4 51.0755
16 374.683
64 882.048
255 3566.62
EOD
$p0s3 << EOD
4 1.029
15 1.094
EOD
$p0s4 << EOD
4 3.144
15 14.841
EOD
$p0s5 << EOD
4 1.029
15 1.094
EOD
$p0s6 << EOD
1 19.943
16 9129.75
64 168758
EOD
$p1s0 << EOD
1 125.935
4 117.785
16 171.502
64 173.101
255 383.836
EOD
$p1s1 << EOD
1 84.866
4 273.942
16 151.684
64 127.52
255 1702.14
EOD
$p1s2 << EOD
1 91.462
4 120.829
16 499.689
64 1068.74
255 3902.09
EOD
$p1s3 << EOD
1 935.306
4 953.105
15 1011.26
EOD
$p1s4 << EOD
1 932.609
4 953.003
15 1023.71
EOD
$p1s5 << EOD
1 201.428
4 217.735
15 272.969
EOD
$p1s6 << EOD
1 2190.35
16 10841.9
64 171498
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
