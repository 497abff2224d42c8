// scalefit-bench: throughput benchmarks, run by Scripts/bench-trainer.sh and Scripts/bench-fit.sh.
// Usage: scalefit-bench trainer [options] | scalefit-bench fit [options]
import Foundation

let benchArgs = Array(CommandLine.arguments.dropFirst())
switch benchArgs.first {
case "trainer": runTrainerBench(Array(benchArgs.dropFirst()))
case "fit": runFitBench(Array(benchArgs.dropFirst()))
case "multipower": runMultiPowerBench(Array(benchArgs.dropFirst()))
default:
    FileHandle.standardError.write("usage: scalefit-bench trainer|fit|multipower [options]\n".data(using: .utf8)!)
    exit(2)
}
