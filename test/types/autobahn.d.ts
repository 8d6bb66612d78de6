declare module 'autobahn';
