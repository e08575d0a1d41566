; Inno Setup script for BMT Desktop: a per-user install that needs no administrator.
;
;   iscc /DAppVersion=0.1.0 installer\bmt_desktop.iss
;
; installer\build_windows.ps1 (and .github\workflows\windows.yml) read the version from
; pyproject.toml and pass it; the PyInstaller build must be in dist\bmt-desktop first
; (/DDistDir=... to take it from elsewhere). The installer lands in dist\installer.
;
; What it does: copies the one-folder build to %LOCALAPPDATA%\Programs\BMT Desktop
; ({autopf} of a non-administrative install), adds Start-menu shortcuts (the program and
; its demo book) and, if chosen, a desktop shortcut. The books and backups live in the
; user's data folder, %LOCALAPPDATA%\BMT Desktop (bmt_desktop/paths.py), which the
; installer never touches: uninstalling removes the program and keeps the books, and says so.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z (build_windows.ps1 reads pyproject.toml)
#endif
#ifndef DistDir
  #define DistDir "..\dist\bmt-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist\installer"
#endif
#define AppName "BMT Desktop"
#define AppExe "bmt-desktop.exe"
#define DataFolder "{localappdata}\BMT Desktop"

[Setup]
AppId={{B854AE91-B45B-4824-BA43-8677978C5538}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per user, no administrator: {autopf} is then {userpf}, i.e. %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\resources\icons\bmt-desktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename=bmt-desktop-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
CloseApplications=yes
SetupLogging=yes

[Languages]
; Indonesian first: a Windows in any language but English gets the Indonesian installer.
Name: "id"; MessagesFile: "compiler:Default.isl,Indonesian.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Messages]
id.ConfirmUninstall=Hapus %1 dari komputer ini?%n%nBuku dan cadangan di folder data pengguna tidak dihapus.
en.ConfirmUninstall=Remove %1 from this computer?%n%nThe books and backups in the user's data folder are not removed.

[CustomMessages]
id.DemoShortcut=%1 - buku demo
en.DemoShortcut=%1 - demo book
id.BooksKept=Buku dan cadangan BMT Desktop tidak dihapus. Semuanya tetap ada di:%n%n%1%n%nPasang lagi BMT Desktop untuk membukanya, atau salin folder itu sebelum menghapusnya sendiri.
en.BooksKept=The BMT Desktop books and backups were not removed. They are still in:%n%n%1%n%nInstall BMT Desktop again to open them, or copy the folder before you delete it yourself.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; The previous version's Python modules and Qt libraries go first (an upgrade must not mix them).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{autoprograms}\{cm:DemoShortcut,{#AppName}}"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; WorkingDir: "{app}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
{ The books are never in the install folder, so the uninstaller removes none of them; tell
  the person where they are (not in a silent uninstall). }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('BooksKept'), [ExpandConstant('{#DataFolder}')]),
      mbInformation, MB_OK);
end;
