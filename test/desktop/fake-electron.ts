// A recording stand-in for the parts of Electron the desktop glue uses (the Electron binary is not available in
// tests). State lives on globalThis so every copy of this module (vi.resetModules) sees the same fakes.
type Listener = (...args: never[]) => unknown;

export class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }
  once(name: string, listener: Listener): this {
    const wrapper = (...args: unknown[]): unknown => {
      this.removeListener(name, wrapper);
      return (listener as (...a: unknown[]) => unknown)(...args);
    };
    return this.on(name, wrapper);
  }
  removeListener(name: string, listener: Listener): this {
    this.listeners.set(
      name,
      (this.listeners.get(name) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  emit(name: string, ...args: unknown[]): boolean {
    const current = [...(this.listeners.get(name) ?? [])];
    for (const listener of current) (listener as (...a: unknown[]) => unknown)(...args);
    return current.length > 0;
  }
  listenerCount(name: string): number {
    return this.listeners.get(name)?.length ?? 0;
  }
}

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
  url: string;
}

export function fakeEvent(url = ''): FakeEvent {
  return {
    defaultPrevented: false,
    url,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

type OpenHandler = (details: { url: string }) => { action: string };

export class FakeWebContents extends Emitter {
  readonly sent: [string, unknown][] = [];
  destroyed = false;
  openHandler: OpenHandler | null = null;
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }
}

export interface WindowOptions {
  show?: boolean;
  icon?: string;
  webPreferences: {
    preload: string;
    contextIsolation: boolean;
    sandbox: boolean;
    nodeIntegration: boolean;
    webSecurity: boolean;
    webviewTag?: boolean;
  };
}

export class FakeBrowserWindow extends Emitter {
  static instances: FakeBrowserWindow[] = [];
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.destroyed);
  }
  readonly webContents = new FakeWebContents();
  visible = false;
  minimized = false;
  destroyed = false;
  focusCount = 0;
  loadedUrl: string | null = null;
  loadedFile: string | null = null;
  constructor(readonly options: WindowOptions) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  loadFile(path: string): Promise<void> {
    this.loadedFile = path;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focusCount += 1;
  }
  restore(): void {
    this.minimized = false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Like Electron: `close` can be prevented; otherwise the window is destroyed and `closed` follows. */
  close(): FakeEvent {
    const event = fakeEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
    return event;
  }
}

export class FakeImage {
  constructor(
    readonly path: string,
    readonly size: { width: number; height: number } | null = null,
  ) {}
  isEmpty(): boolean {
    return this.path.includes('missing');
  }
  resize(size: { width: number; height: number }): FakeImage {
    return new FakeImage(this.path, size);
  }
}

export interface FakeMenu {
  template: { label?: string; type?: string; enabled?: boolean; click?: () => void }[];
}

export class FakeTray extends Emitter {
  static instances: FakeTray[] = [];
  tooltip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  constructor(readonly image: FakeImage) {
    super();
    FakeTray.instances.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends Emitter {
  static supported = true;
  static instances: FakeNotification[] = [];
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  shown = false;
  closed = false;
  constructor(readonly options: { title: string; body: string }) {
    super();
    FakeNotification.instances.push(this);
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
  }
}

export class FakeApp extends Emitter {
  lockGranted = true;
  isPackaged = false;
  quitCalls = 0;
  quitted = false;
  exitCode: number | null = null;
  whenReadyCalls = 0;
  loginItems: { openAtLogin: boolean }[] = [];
  appUserModelId: string | null = null;
  /** Chromium switches, with how many times `whenReady` had been called when each was set (it must be 0). */
  readonly commandLine = {
    switches: new Map<string, { value: string; readyCallsBefore: number }>(),
    appendSwitch: (name: string, value = ''): void => {
      this.commandLine.switches.set(name, { value, readyCallsBefore: this.whenReadyCalls });
    },
    hasSwitch: (name: string): boolean => this.commandLine.switches.has(name),
    getSwitchValue: (name: string): string => this.commandLine.switches.get(name)?.value ?? '',
  };
  requestSingleInstanceLock(): boolean {
    return this.lockGranted;
  }
  whenReady(): Promise<void> {
    this.whenReadyCalls += 1;
    return Promise.resolve();
  }
  getPath(name: string): string {
    return `/fake/${name}`;
  }
  getAppPath(): string {
    return '/fake/app';
  }
  /** Like Electron: `before-quit` first, and the quit goes on only if no listener prevented it. */
  quit(): void {
    this.quitCalls += 1;
    const event = fakeEvent();
    this.emit('before-quit', event);
    if (!event.defaultPrevented) this.quitted = true;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    this.loginItems.push(settings);
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
}

type HeadersListener = (
  details: { responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;
type PermissionHandler = (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

function createFake() {
  const app = new FakeApp();

  const ipcMain = {
    handlers: new Map<string, InvokeHandler>(),
    handle(channel: string, handler: InvokeHandler): void {
      if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      this.handlers.set(channel, handler);
    },
    removeHandler(channel: string): void {
      this.handlers.delete(channel);
    },
  };

  const defaultSession = {
    headersListener: null as HeadersListener | null,
    permissionHandler: null as PermissionHandler | null,
    webRequest: {
      onHeadersReceived(listener: HeadersListener): void {
        defaultSession.headersListener = listener;
      },
    },
    setPermissionRequestHandler(handler: PermissionHandler): void {
      defaultSession.permissionHandler = handler;
    },
  };

  const shell = {
    opened: [] as string[],
    openExternal(url: string): Promise<void> {
      this.opened.push(url);
      return Promise.resolve();
    },
  };

  const safeStorage = {
    available: true,
    backend: 'gnome_libsecret' as string,
    encryptCalls: 0,
    isEncryptionAvailable(): boolean {
      return this.available;
    },
    getSelectedStorageBackend(): string {
      return this.backend;
    },
    // Reversible but not clear text, so a test can tell the box really went through safeStorage.
    encryptString(plain: string): Buffer {
      this.encryptCalls += 1;
      return Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a));
    },
    decryptString(cipher: Buffer): string {
      return Buffer.from(cipher.map((b) => b ^ 0x5a)).toString('utf8');
    },
  };

  const contextBridge = {
    exposed: new Map<string, unknown>(),
    exposeInMainWorld(key: string, api: unknown): void {
      this.exposed.set(key, api);
    },
  };

  const ipcRenderer = Object.assign(new Emitter(), {
    invocations: [] as unknown[][],
    invoke(...args: unknown[]): Promise<unknown> {
      this.invocations.push(args);
      return Promise.resolve({ ok: true, result: { echoed: args[1] } });
    },
  });

  const dialog = {
    errors: [] as [string, string][],
    showErrorBox(title: string, content: string): void {
      this.errors.push([title, content]);
    },
  };

  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    session: { defaultSession },
    shell,
    Menu: { buildFromTemplate: (template: FakeMenu['template']): FakeMenu => ({ template }) },
    nativeImage: { createFromPath: (path: string) => new FakeImage(path) },
    Tray: FakeTray,
    Notification: FakeNotification,
    safeStorage,
    contextBridge,
    ipcRenderer,
    dialog,
  };
  return module;
}

export type FakeElectron = ReturnType<typeof createFake>;

const holder = globalThis as { __avisaFakeElectron?: FakeElectron };

/** The fake module itself: what `vi.mock('electron', ...)` returns and what tests inspect. */
export function fakeElectron(): FakeElectron {
  holder.__avisaFakeElectron ??= createFake();
  return holder.__avisaFakeElectron;
}

/** Fresh fakes for the next test (the module object keeps its identity; its parts are replaced). */
export function resetFakeElectron(): FakeElectron {
  const fresh = createFake();
  Object.assign(fakeElectron(), fresh);
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
  FakeNotification.instances = [];
  FakeNotification.supported = true;
  return fakeElectron();
}
