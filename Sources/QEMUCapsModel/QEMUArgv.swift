/// QEMU's command line read as QEMU reads it (`lookup_opt` in `vl.c`): a word that
/// starts with `-` is an option (`--name` is `-name`); an option that takes a value
/// takes the next word as it, whatever that word is (`-device -global` gives `-device`
/// the value `-global`); any other word is a disk image.
///
/// libvirt passes `<qemu:commandline>` words after its own, complete, arguments, so
/// these words are read from an option boundary.
package enum QEMUArgv {
  /// One option among argv words.
  package struct Option: Sendable, Hashable {
    /// The name without its dashes: `global` for `-global` and `--global`.
    package var name: String
    /// The index of the option's word.
    package var index: Int
    /// Whether the option takes a value (see ``optionsWithValue``).
    package var takesValue: Bool
    /// The index of the value word; `nil` when the option takes none, or takes one but
    /// is the last word (QEMU then refuses to start: `requires an argument`).
    package var valueIndex: Int?
  }

  /// The options QEMU gives the next word to as their value (`HAS_ARG` in
  /// `qemu-options.hx`): every such option of Debian's QEMU 5.2, 7.2, 10.0 and 11.1
  /// for x86_64, measured by running each option as the last argument (QEMU prints
  /// `requires an argument` before doing anything else). No option changed between
  /// taking a value and not in those versions; a name QEMU does not know (`invalid
  /// option`) is read as taking none, so that it never hides the words after it.
  package static let optionsWithValue: Set<String> = [
    "D", "L", "M", "accel", "acpitable", "action", "add-fd", "append", "audio", "audiodev", "bios", "blockdev",
    "boot", "cdrom", "chardev", "chroot", "compat", "cpu", "d", "debugcon", "device", "dfilter", "display", "drive",
    "dtb", "dump-vmstate", "echr", "fda", "fdb", "fsdev", "fw_cfg", "g", "gdb", "global", "hda", "hdb", "hdc", "hdd",
    "icount", "incoming", "initrd", "iscsi", "k", "kernel", "loadvm", "m", "machine", "mem-path", "mon", "monitor",
    "msg", "mtdblock", "name", "net", "netdev", "nic", "numa", "object", "option-rom", "overcommit", "parallel",
    "pflash", "pidfile", "plugin", "prom-env", "qmp", "qmp-pretty", "qtest", "qtest-log", "readconfig", "realtime",
    "rotate", "rtc", "run-with", "runas", "sandbox", "sd", "seed", "semihosting-config", "serial", "set", "shim",
    "smbios", "smp", "soundhw", "spice", "tb-size", "tpmdev", "trace", "usbdevice", "uuid", "vga", "virtfs", "vnc",
    "watchdog", "watchdog-action", "writeconfig", "xen-domid",
  ]

  /// The option name of `word` as QEMU looks it up (`-global` and `--global` are
  /// `global`), or `nil` when the word is not an option (it does not start with `-`).
  package static func optionName(_ word: String) -> String? {
    guard word.hasPrefix("-") else { return nil }
    return String(word.dropFirst(word.hasPrefix("--") ? 2 : 1))
  }

  /// The options among `words`, in order, each with the index of its value.
  package static func options(in words: [String]) -> [Option] {
    var result: [Option] = []
    var index = 0
    while index < words.count {
      defer { index += 1 }
      guard let name = optionName(words[index]) else { continue }
      let takesValue = optionsWithValue.contains(name)
      let valueIndex = takesValue && index + 1 < words.count ? index + 1 : nil
      result.append(Option(name: name, index: index, takesValue: takesValue, valueIndex: valueIndex))
      if valueIndex != nil { index += 1 }
    }
    return result
  }
}
