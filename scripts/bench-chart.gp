# Draws the charts of one scripts/bench.sh run from the TSV files the bench jar wrote (--out).
#   gnuplot -e "dir='run/bench/results-...'" scripts/bench-chart.gp
# throughput.png: ops/s and p99 per target, one group of bars per operation and pipeline depth.
# latency.png (when latency-p99-wide.tsv exists): p99 against the fixed request rate, one line per target.
if (!exists("dir")) dir = "."
set terminal pngcairo size 1200,900 font "sans,10" noenhanced
set datafile separator "\t"
set datafile missing "NaN"
set key outside right top
set grid ytics
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9

wide = dir."/throughput-wide.tsv"
p99 = dir."/p99-wide.tsv"
columns = system("head -1 '".wide."' | awk -F'\t' '{print NF}'") + 0
if (columns >= 2) {
  set output dir."/throughput.png"
  set multiplot layout 2,1 title "scripts/bench.sh: median of the rounds (".dir.")"
  set title "throughput (ops/s, higher is better)"
  set ylabel "ops/s"
  set yrange [0:*]
  plot for [i=2:columns] wide using i:xtic(1) title columnheader(i)
  set title "p99 latency at saturation (us, lower is better)"
  set ylabel "us"
  plot for [i=2:columns] p99 using i:xtic(1) title columnheader(i)
  unset multiplot
  unset output
}

latency = dir."/latency-p99-wide.tsv"
if (system("test -f '".latency."' && echo 1 || echo 0") + 0) {
  lcolumns = system("head -1 '".latency."' | awk -F'\t' '{print NF}'") + 0
  set output dir."/latency.png"
  set style data linespoints
  set title "p99 latency under a fixed request rate (us, from the intended send time)"
  set xlabel "requested ops/s (all operations of the run, in file order)"
  set ylabel "p99 us"
  set logscale y
  set yrange [*:*]
  set xtics rotate by -30
  plot for [i=3:lcolumns] latency using 0:i:xtic(stringcolumn(1)."@".stringcolumn(2)) title columnheader(i) lw 2 pt 7
  unset output
}
