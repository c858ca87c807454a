; Inno Setup 6 script for the QR payment kiosk (packaging/README.md, "Windows").
; Build the bundle on Windows first:
;   py -3.11 -m venv .venv && .venv\Scripts\pip install -r requirements-package.txt -c constraints.txt
;   .venv\Scripts\pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\qr-kiosk.spec
; then: iscc /DAppVersion=0.1.0 packaging\windows\qr-kiosk.iss
; Output: dist\qr-kiosk-<version>-setup.exe

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "QR Kiosk"
#define Bundle "..\..\dist\qr-kiosk"

[Setup]
AppId={{6F1B6C2E-5C1D-4E55-9C3B-2E1C8A7D9F40}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=QR kiosk team
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=qr-kiosk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
UninstallDisplayIcon={app}\kiosk.exe
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "Create a desktop icon"; Flags: unchecked
Name: "autostart"; Description: "Start the kiosk when this Windows user logs in"; Flags: unchecked

[Files]
; The whole one-dir bundle: kiosk.exe (window), kiosk-cli.exe (terminal), _internal\
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\QR payment kiosk"; Filename: "{app}\kiosk.exe"
Name: "{group}\Kiosk self-test"; Filename: "{app}\kiosk-cli.exe"; Parameters: "--smoke"
Name: "{autodesktop}\QR payment kiosk"; Filename: "{app}\kiosk.exe"; Tasks: desktopicon
Name: "{userstartup}\QR payment kiosk"; Filename: "{app}\kiosk.exe"; Tasks: autostart

[Run]
; The installer's self-test: one sandbox sale through the real window.
Filename: "{app}\kiosk-cli.exe"; Parameters: "--smoke"; Description: "Run the self-test now"; \
  Flags: postinstall skipifsilent unchecked
Filename: "{app}\kiosk.exe"; Description: "Open the kiosk"; Flags: postinstall nowait skipifsilent unchecked

; Settings (%LOCALAPPDATA%\kiosk), data and Credential Manager secrets are the
; counter's own: uninstalling never removes them.
