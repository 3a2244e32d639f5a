// qemu-caps-bench: the Swift half of scripts/bench.
//
//   qemu-caps-bench [throughput] [OPTIONS]   library throughput on one core (Throughput.swift)
//   qemu-caps-bench report --dir DIR [...]  statistics, targets, table and JSON of a
//                                           scripts/bench run (Report.swift)
//   qemu-caps-bench shapes --dir DIR         the pathological domain shapes as files (Shapes.swift)

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "report": Report.run(arguments.dropFirst())
case "throughput": Throughput.run(arguments.dropFirst())
case "shapes": Shapes.run(arguments.dropFirst())
default: Throughput.run(arguments)
}
