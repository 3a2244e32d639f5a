// Library throughput on one core (`qemu-caps-bench throughput`, the default).
//
//   qemu-caps-bench [throughput] [--caps DIR] [--qemu-version V] [--capabilities-file FILE]
//                   [--domain FILE] [--seconds S] [--format json|runs]
//
// Prints one JSON object on standard output,
//   {"lookupsPerSecond": N, "validationsPerSecond": N}
// or, with --format runs, the line scripts/bench keeps: `lookups_per_s=N validations_per_s=N`,
// and the details (counts, times, a checksum that keeps the work from being
// optimized away) on standard error. Run from the package root; the defaults are
// the repository's own capability data and a typical domain of the validator corpus.
//
// - lookups: `CapabilityIndex(path:)` and `build(version:)` once (not timed), then
//   `build.machine(name)` + `.option(.acpiHotplugBridge)` over every machine type
//   name and alias of the build, in rotation, for about S seconds (default 1).
// - validations: `Validator(capabilitiesFile:)` once and the domain file read once
//   (not timed), then `validator.validate(domainXML:file:)` for about S seconds.
//   That is the whole job of `qemu-caps validate` after start-up: parsing the domain
//   XML with libxml2, resolving the machine type, running every rule.
//
// Single-threaded throughout. Exit status 0, 2 when an input cannot be read.

import QEMUCaps
import QEMUCapsJSON

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Run `body` in batches until at least `duration` seconds have passed; returns
/// (iterations, elapsed seconds). The clock is read once per batch.
@inline(never)
func timed(for duration: Double, batch: Int, _ body: (Int) -> Void) -> (count: Int, elapsed: Double) {
  var count = 0
  let start = seconds()
  var elapsed = 0.0
  repeat {
    for _ in 0..<batch {
      body(count)
      count += 1
    }
    elapsed = seconds() - start
  } while elapsed < duration
  return (count, elapsed)
}

enum Throughput {
  /// Measure and print `{"lookupsPerSecond": N, "validationsPerSecond": N}`.
  static func run(_ arguments: ArraySlice<String>) {
    let options = parseOptions(
      arguments, known: ["caps", "qemu-version", "capabilities-file", "domain", "format", "seconds"])
    let capsPath = options["caps"] ?? "capabilities-data"
    let qemuVersion = options["qemu-version"] ?? "7.2"
    let capabilitiesFile = options["capabilities-file"] ?? "capabilities-data/qemu-7.2.22.xml"
    let domainPath = options["domain"] ?? "Tests/QEMUCapsValidatorTests/Corpus/qemu-7.2.22/pc-both-off.xml"
    let format = options["format"] ?? "json"
    guard format == "json" || format == "runs" else { fail("--format takes json or runs") }
    guard let duration = Double(options["seconds"] ?? "1"), duration > 0 else {
      fail("--seconds needs a positive number")
    }

    // Lookups.
    let build: CapabilityIndex.Build
    do {
      build = try CapabilityIndex(path: capsPath).build(version: qemuVersion)
    } catch {
      fail("\(capsPath): \(error)")
    }
    var names = build.document.machines.map(\.name)
    names += build.document.machines.compactMap(\.alias)
    guard !names.isEmpty else { fail("\(build.source) has no machine types") }
    var lookupChecksum = 0
    let lookups = timed(for: duration, batch: 4096) { iteration in
      if let option = build.machine(names[iteration % names.count])?.option(.acpiHotplugBridge) {
        lookupChecksum &+= option.isSupported ? (option.defaultValue == true ? 3 : 2) : 1
      }
    }

    // Validations.
    let validator: Validator
    do {
      validator = try Validator(capabilitiesFile: capabilitiesFile)
    } catch {
      fail("\(error)")
    }
    let domain = readFile(domainPath)
    var validationChecksum = 0
    var validationErrors = 0
    let validations = timed(for: duration, batch: 64) { _ in
      do {
        let report = try validator.validate(domainXML: domain, file: domainPath)
        validationChecksum &+= report.diagnostics.count &+ report.qemuArguments.count &+ (report.isValid ? 1 : 0)
      } catch {
        validationErrors += 1
      }
    }
    if validationErrors > 0 { fail("\(domainPath) does not validate: it cannot be parsed") }

    let lookupsPerSecond = Double(lookups.count) / lookups.elapsed
    let validationsPerSecond = Double(validations.count) / validations.elapsed
    printError(
      """
      qemu-caps-bench: \(lookups.count) lookups in \(lookups.elapsed) s over \(names.count) names \
      of QEMU \(build.document.qemu.version) (checksum \(lookupChecksum)); \
      \(validations.count) validations of \(domainPath) in \(validations.elapsed) s (checksum \(validationChecksum))

      """)
    let perSecond = (lookups: Int64(lookupsPerSecond.rounded()), validations: Int64(validationsPerSecond.rounded()))
    if format == "runs" {
      // One line of a scripts/bench `.runs` file.
      print("lookups_per_s=\(perSecond.lookups) validations_per_s=\(perSecond.validations)")
    } else {
      print(
        JSON.object(
          JSONObject([
            ("lookupsPerSecond", .int(perSecond.lookups)), ("validationsPerSecond", .int(perSecond.validations)),
          ])
        ).serialized())
    }
  }
}
