# The Windows build of BMT Desktop: the frozen program, its self-test, then the installer.
#
#   powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1 [-SkipInstaller]
#
# Needs Python 3.11 with the project installed (py -3.11 -m pip install -e . pyinstaller)
# and Inno Setup 6 (ISCC.exe on PATH or in its default folder; `choco install innosetup`
# brings it). Writes dist\bmt-desktop\ (bmt-desktop.exe for the teller, bmt-desktop-cli.exe
# for the command line) and dist\installer\bmt-desktop-VERSION-setup.exe. The same steps run
# in .github\workflows\windows.yml.
param(
    [string]$Python = "python",
    [switch]$SkipInstaller
)
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

function Invoke-Checked([string]$What, [scriptblock]$Block) {
    & $Block
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

$version = (& $Python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
Write-Host "BMT Desktop $version"

$watch = [Diagnostics.Stopwatch]::StartNew()
Invoke-Checked "PyInstaller" { & $Python -m PyInstaller installer\bmt_desktop.spec --noconfirm --clean --distpath dist --workpath build\pyinstaller --log-level WARN }
$buildSeconds = [int]$watch.Elapsed.TotalSeconds

# The console twin prints the self-test; the windowed program must pass it too (its lines go
# to %TEMP%\bmt-desktop-self-test.txt, its exit code is read from the process).
Invoke-Checked "Self-test (bmt-desktop-cli.exe)" { & dist\bmt-desktop\bmt-desktop-cli.exe --self-test }
$gui = Start-Process -FilePath dist\bmt-desktop\bmt-desktop.exe -ArgumentList "--self-test" -Wait -PassThru
if ($gui.ExitCode -ne 0) {
    Get-Content (Join-Path $env:TEMP "bmt-desktop-self-test.txt") -ErrorAction SilentlyContinue
    throw "Self-test (bmt-desktop.exe) failed (exit code $($gui.ExitCode))"
}

$bytes = (Get-ChildItem dist\bmt-desktop -Recurse -File | Measure-Object -Property Length -Sum).Sum
Write-Host ("build: {0} s; bundle: {1:N0} MB" -f $buildSeconds, ($bytes / 1MB))
if ($SkipInstaller) { return }

$iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) {
    $iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
              "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") |
        Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $iscc) { throw "Inno Setup 6 (ISCC.exe) not found: choco install innosetup" }
Invoke-Checked "Inno Setup" { & $iscc "/DAppVersion=$version" installer\bmt_desktop.iss }
Get-ChildItem dist\installer\*.exe | ForEach-Object { Write-Host ("installer: {0} ({1:N0} MB)" -f $_.FullName, ($_.Length / 1MB)) }
