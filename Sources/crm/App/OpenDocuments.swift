import CRMApp
import CRMCore
import CRMExchange
import Foundation

extension Open {
  /// `P` in the interface: the document's PDF in the user's documents folder
  /// (`DocumentPDF.folder`), named after the document, through the safe writer.
  static func pdfWriter(env: [String: String]) -> DocumentPDFWriter {
    { context, document, id in
      let l = context.language
      let kind: DocumentForm.Kind
      switch document {
      case .invoice: kind = .invoice
      case .act: kind = .act
      case .offer: kind = .offer
      case .contract:
        throw CRMError.other(l.pick("contracts have no PDF form", "у договора нет PDF-формы"))
      }
      let form = try DocumentForm.load(kind, id: id, context: context)
      let data: Data
      do {
        data = try DocumentPDF.render(form)
      } catch {
        throw CRMError.other("PDF: \(error)")
      }
      let folder = DocumentPDF.folder(env)
      do {
        try FileManager.default.createDirectory(
          atPath: folder, withIntermediateDirectories: true,
          attributes: [.posixPermissions: 0o700])
      } catch {
        throw CRMError.ioError(path: folder, reason: error.localizedDescription)
      }
      let path = folder + "/" + (try DocumentPDF.fileName(kind, id: id, context: context))
      try SafeFile.write(data, to: path, language: l)
      return path
    }
  }

  /// `O` in the interface: the user's `opener` from their config file (never the database),
  /// else `xdg-open` when installed; run through `/bin/sh -c` with the path as `$1`, detached.
  static func fileOpener(env: [String: String], language l: Language) -> FileOpener {
    { path in
      let configPath = UserConfig.path(env)
      let config: UserConfig
      do {
        config = try UserConfig.load(configPath, language: l)
      } catch {
        throw CRMError.invalid(
          field: configPath, problem: (error as? FunnelConfigError)?.message ?? "\(error)")
      }
      let paths = (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
      let xdg = paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/xdg-open") }
      guard let opener = config.opener ?? (xdg ? "xdg-open" : nil) else {
        throw CRMError.other(
          l.pick(
            "no program to open it: set opener = \"…\" in \(configPath)",
            "нечем открыть: задайте opener = \"…\" в \(configPath)"))
      }
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/bin/sh")
      p.arguments = ["-c", opener + " \"$1\"", "crm-open", path]
      p.standardInput = FileHandle.nullDevice
      p.standardOutput = FileHandle.nullDevice
      p.standardError = FileHandle.nullDevice
      do {
        try p.run()
      } catch {
        throw CRMError.other(opener + ": " + error.localizedDescription)
      }
    }
  }
}
